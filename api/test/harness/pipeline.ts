import { createClient, Client } from 'graphql-ws';
import WebSocket from 'ws';
import { gql } from './graphql-client';

export type Deployed = { id: string; secret: string; webhookUrl: string; alertMessage: string; pineSnippet: string };

export async function createAndDeploy(
  baseUrl: string,
  token: string,
  input: Record<string, unknown>,
): Promise<Deployed> {
  const created = await gql(
    baseUrl,
    'mutation($i: StrategyInput!) { createStrategy(input: $i) { id } }',
    {
      i: { name: 'Test strategy', symbol: 'RELIANCE', timeframe: '5', qty: 1, mode: 'PAPER', ...input },
    },
    token,
  );
  if (!created.data) throw new Error(`createStrategy failed: ${JSON.stringify(created.errors)}`);
  const id = created.data.createStrategy.id as string;
  const deployed = await gql(
    baseUrl,
    'mutation($id: ID!) { deployStrategy(id: $id) { webhookUrl webhookSecret alertMessage pineSnippet } }',
    { id },
    token,
  );
  if (!deployed.data) throw new Error(`deployStrategy failed: ${JSON.stringify(deployed.errors)}`);
  const d = deployed.data.deployStrategy;
  return {
    id,
    secret: d.webhookSecret,
    webhookUrl: d.webhookUrl,
    alertMessage: d.alertMessage,
    pineSnippet: d.pineSnippet,
  };
}

let keySeq = 0;
export const uniqueKey = () => `key-${process.pid}-${Date.now()}-${(keySeq += 1)}`;

export type WebhookReply = { status: number; body: any };

export async function postAlert(
  baseUrl: string,
  body: unknown,
  contentType = 'application/json',
): Promise<WebhookReply> {
  const res = await fetch(`${baseUrl}/api/webhook/tradingview`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* keep text */
  }
  return { status: res.status, body: parsed };
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 8000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const EXECUTION_FIELDS =
  'id strategyId alertId correlationId clientOrderId symbol side qty price mode status brokerOrderId filledQty avgFillPrice charges pnl rejectReason lastError attempts';

export async function executionByAlert(baseUrl: string, token: string, alertId: string) {
  const res = await gql(
    baseUrl,
    `{ executions(first: 200) { edges { node { ${EXECUTION_FIELDS} } } } }`,
    undefined,
    token,
  );
  return (res.data?.executions.edges as Array<{ node: any }> | undefined)
    ?.map((e) => e.node)
    .find((n) => n.alertId === alertId);
}

export async function waitForStatus(
  baseUrl: string,
  token: string,
  alertId: string,
  statuses: string[],
  timeoutMs = 8000,
) {
  return waitFor(
    async () => {
      const e = await executionByAlert(baseUrl, token, alertId);
      return e && statuses.includes(e.status) ? e : undefined;
    },
    timeoutMs,
    `execution of ${alertId} to reach ${statuses.join('|')}`,
  );
}

export function subscribeEvents(
  port: number,
  token: string,
  variables: Record<string, unknown> = {},
): { client: Client; events: any[]; ready: Promise<void> } {
  const events: any[] = [];
  const client = createClient({
    url: `ws://127.0.0.1:${port}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${token}` },
  });
  let resolveReady!: () => void;
  const ready = new Promise<void>((r) => {
    resolveReady = r;
  });
  client.on('connected', () => setTimeout(resolveReady, 100));
  client.subscribe(
    {
      query:
        'subscription($s: ID) { executionEvents(strategyId: $s) { type executionId alertId correlationId strategyId at payload } }',
      variables,
    },
    {
      next: (msg) => events.push(msg.data?.executionEvents),
      error: () => undefined,
      complete: () => undefined,
    },
  );
  return { client, events, ready };
}
