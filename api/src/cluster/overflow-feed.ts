import type { PgChannels } from './pg-channels';

// Work one api process left in PostgreSQL beyond its in-memory bound, announced to the others (issue 19): small
// payloads (a position's ids) on OVERFLOW_CHANNEL, always over PostgreSQL (the work is there). What a process does
// on hearing one is the executor's business (modules/executions/placement/overflow-sharing.ts).
export const OVERFLOW_CHANNEL = 'algodatta_overflow';

export type OverflowFeed = {
  // Tells the other processes (none is told anything while this process is alone on its database)
  send(payloads: string[]): void;
  // Payloads sent by the other processes
  on(handler: (payload: string) => void): void;
};

export function pgOverflowFeed(channels: PgChannels): OverflowFeed {
  const handlers: Array<(payload: string) => void> = [];
  channels.listen(OVERFLOW_CHANNEL, (message) => {
    const bar = message.indexOf('|');
    // Its own announcements come back to it as well
    if (bar < 0 || message.slice(0, bar) === channels.id) return;
    for (const handler of handlers) handler(message.slice(bar + 1));
  });
  return {
    send: (payloads) => {
      if (payloads.length === 0 || !channels.hasPeers()) return;
      void channels.notify(
        OVERFLOW_CHANNEL,
        payloads.map((p) => `${channels.id}|${p}`),
      );
    },
    on: (handler) => {
      handlers.push(handler);
    },
  };
}
