import { Extensions } from 'type-graphql';
import { ApiKeyScope } from '../shared/enums';

// Marks a mutation an API key with the TRADE scope may call (strategies, toggle, deploy, replay). Unmarked
// mutations are refused to every API key (see auth-checker.ts).
export const TradingMutation = () => Extensions({ apiKeyScope: ApiKeyScope.TRADE });
