import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context';
import { User } from '../users/user.entity';
import { AuthPayload, LoginInput, RegisterInput } from './auth.types';

@Resolver()
export class AuthResolver {
  @Mutation(() => AuthPayload)
  register(@Arg('input') input: RegisterInput, @Ctx() ctx: GraphQLContext): Promise<AuthPayload> {
    return ctx.services.auth.register(ctx.em, input.email, input.password, ctx.ip);
  }

  @Mutation(() => AuthPayload)
  login(@Arg('input') input: LoginInput, @Ctx() ctx: GraphQLContext): Promise<AuthPayload> {
    return ctx.services.auth.login(ctx.em, input.email, input.password, ctx.ip);
  }

  @Mutation(() => AuthPayload, {
    description: 'Rotates: the old refresh token stops working; reusing it revokes the login',
  })
  refreshToken(@Arg('token') token: string, @Ctx() ctx: GraphQLContext): Promise<AuthPayload> {
    return ctx.services.auth.refresh(ctx.em, token);
  }

  @Authorized()
  @Mutation(() => Boolean, {
    description: 'Revokes the given refresh token’s login, or every login of the user when omitted',
  })
  logout(
    @Arg('refreshToken', () => String, { nullable: true }) refreshToken: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<boolean> {
    return ctx.services.auth.logout(ctx.em, ctx.user!.id, refreshToken ?? undefined);
  }

  @Authorized()
  @Query(() => User)
  me(@Ctx() ctx: GraphQLContext): User {
    return ctx.user!;
  }
}
