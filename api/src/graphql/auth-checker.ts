import type { AuthChecker } from 'type-graphql';
import { forbidden, unauthenticated } from '../shared/app-error';
import { ApiKeyScope } from '../shared/enums';
import type { GraphQLContext } from './context';

// @Authorized() needs a signed-in ACTIVE user; @Authorized('ADMIN') also the role.
// With an API key: queries and subscriptions need any scope; a mutation must be marked @TradingMutation() and
// the key must have TRADE; every other mutation (password, API keys, users, brokers, kill switch) is refused.
export const authChecker: AuthChecker<GraphQLContext> = ({ context, info }, roles) => {
  if (!context.user) throw context.authError ?? unauthenticated();
  if (roles.length > 0 && !roles.includes(context.user.role)) throw forbidden('This operation needs the ADMIN role');
  if (context.apiKey && info.parentType.name === 'Mutation') {
    const scope = (info.parentType.getFields()[info.fieldName].extensions as { apiKeyScope?: ApiKeyScope }).apiKeyScope;
    if (scope !== ApiKeyScope.TRADE) throw forbidden('This operation is not allowed with an API key; sign in instead');
    if (!context.apiKey.scopes.includes(ApiKeyScope.TRADE))
      throw forbidden('This operation needs an API key with the TRADE scope');
  }
  return true;
};
