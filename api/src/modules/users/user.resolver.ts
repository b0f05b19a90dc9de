import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context';
import { Role, UserStatus } from '../../shared/enums';
import { User } from './user.entity';

@Resolver()
export class UserResolver {
  @Authorized(Role.ADMIN)
  @Query(() => [User])
  users(@Ctx() ctx: GraphQLContext): Promise<User[]> {
    return ctx.services.users.list(ctx.em);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => User)
  setUserStatus(
    @Arg('id', () => ID) id: string,
    @Arg('status', () => UserStatus) status: UserStatus,
    @Ctx() ctx: GraphQLContext,
  ): Promise<User> {
    return ctx.services.users.setStatus(ctx.em, ctx.user!, id, status, ctx.ip);
  }
}
