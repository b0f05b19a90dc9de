// Builds paper clients on a test database through the SDK loader, as the api does

import type { BrokerContext, Clock } from '@algodatta/broker-sdk';
import { loadBrokerPlugin } from '@algodatta/broker-sdk';
import * as paperModule from '../../src';
import type { PaperBrokerClient, PaperOptionsInput } from '../../src';
import { silentLogger } from './test-db';

let accountSeq = 0;

export function newAccountId(prefix = 'acct'): string {
  accountSeq += 1;
  return `${prefix}-${process.pid}-${accountSeq}`;
}

export function paperFactory(options: PaperOptionsInput, clock: Clock = { now: () => Date.now() }) {
  const loaded = loadBrokerPlugin(paperModule, options, '@algodatta/broker-paper');
  return {
    loaded,
    async client(accountId = newAccountId(), extra: Partial<BrokerContext> = {}): Promise<PaperBrokerClient> {
      return (await loaded.createClient({
        logger: silentLogger,
        clock,
        accountId,
        credentials: {},
        ...extra,
      })) as PaperBrokerClient;
    },
  };
}
