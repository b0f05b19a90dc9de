import type { EntityManager } from '@mikro-orm/postgresql';
import { isUuid } from '../../shared/ids';
import { BrokerAccount } from './broker-account.entity';

// A user can have several accounts at one broker (issue 18: "Dhan main", "Dhan wife"). Without an account id the
// user's default account of that broker is meant: the first one connected (oldest; ties by id), which is the one
// every (user, broker) lookup found before accounts had labels.
export function findAccount(
  em: EntityManager,
  userId: string,
  broker: string,
  accountId?: string | null,
): Promise<BrokerAccount | null> {
  if (accountId) {
    if (!isUuid(accountId)) return Promise.resolve(null);
    return em.findOne(BrokerAccount, { id: accountId, user: userId, broker });
  }
  return em.findOne(BrokerAccount, { user: userId, broker }, { orderBy: { createdAt: 'asc', id: 'asc' } });
}

// Whether two brokerAccountIds at one broker name the same account: none names the default account, so none and the
// default account's own id are one account (a strategy changing from one to the other moves nothing)
export async function sameAccount(
  em: EntityManager,
  userId: string,
  broker: string,
  a?: string | null,
  b?: string | null,
): Promise<boolean> {
  if ((a ?? null) === (b ?? null)) return true;
  if (a && b) return false;
  const byDefault = await findAccount(em, userId, broker);
  return !!byDefault && byDefault.id === (a || b);
}
