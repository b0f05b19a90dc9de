import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context';
import { ApiKey } from './api-key.entity';
import { ApiKeyInput, CreatedApiKey } from './api-key.types';

// Account operations: never allowed when the caller itself authenticated with an API key (see auth-checker.ts).
@Authorized()
@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @Query(() => [ApiKey], { description: 'Your API keys that are not revoked' })
  apiKeys(@Ctx() ctx: GraphQLContext): Promise<ApiKey[]> {
    return ctx.services.apiKeys.list(ctx.em, ctx.user!);
  }

  @Mutation(() => CreatedApiKey, { description: 'The secret is in this answer only; it is stored hashed' })
  createApiKey(@Arg('input') input: ApiKeyInput, @Ctx() ctx: GraphQLContext): Promise<CreatedApiKey> {
    return ctx.services.apiKeys.create(ctx.em, ctx.user!, input, ctx.ip);
  }

  @Mutation(() => Boolean, { description: 'Requests with the key are refused (UNAUTHENTICATED) from now on' })
  revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    return ctx.services.apiKeys.revoke(ctx.em, ctx.user!, id, ctx.ip);
  }
}
