import type { AuthChecker } from 'type-graphql';
import { forbidden, unauthenticated } from '../shared/app-error';
import type { GraphQLContext } from './context';

// @Authorized() needs a signed-in ACTIVE user; @Authorized('ADMIN') also the role.
export const authChecker: AuthChecker<GraphQLContext> = ({ context }, roles) => {
  if (!context.user) throw context.authError ?? unauthenticated();
  if (roles.length > 0 && !roles.includes(context.user.role)) throw forbidden('This operation needs the ADMIN role');
  return true;
};
