import { EntityManager } from '@mikro-orm/postgresql';
import type { Services } from '../app/services';
import type { Authentication } from '../modules/auth/authenticator';
import type { LiveSession } from './live-sessions';

// What every resolver gets. user/authError/apiKey come from services.authenticator (HTTP header or the
// WebSocket's connectionParams); `session` is the WebSocket connection the operation runs on, if any.
export type GraphQLContext = Authentication & {
  em: EntityManager;
  services: Services;
  ip: string;
  correlationId: string;
  session?: LiveSession;
};
