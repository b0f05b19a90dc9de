import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context';
import { AuthPayload } from './auth.types';
import { ChangePasswordInput, Session } from './session.types';
import { listSessions, revokeSession } from './sessions';

// The signed-in user's own account: password and logins
@Authorized()
@Resolver()
export class AccountResolver {
  @Mutation(() => AuthPayload, {
    description:
      'Sets a new password after checking the current one (a wrong one is BAD_USER_INPUT on currentPassword). Every login of the account ends; the answer carries the tokens of a new one for the caller',
  })
  changePassword(
    @Arg('input', () => ChangePasswordInput) input: ChangePasswordInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<AuthPayload> {
    return ctx.services.auth.changePassword(ctx.em, ctx.user!, input.currentPassword, input.newPassword, ctx.ip);
  }

  @Query(() => [Session], { description: 'Your logins that are still signed in, most recently used first' })
  sessions(@Ctx() ctx: GraphQLContext): Promise<Session[]> {
    return listSessions(ctx.em, ctx.user!.id, ctx.sessionId);
  }

  @Mutation(() => Boolean, {
    description: 'Signs one of your logins out (its refresh token stops working); false when there is no such login',
  })
  revokeSession(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    return revokeSession(ctx.em, ctx.user!.id, id);
  }
}
