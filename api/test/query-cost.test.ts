import fs from 'node:fs';
import path from 'node:path';
import {
  getNamedType,
  getOperationAST,
  GraphQLInputType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  Kind,
  NamedTypeNode,
  parse,
  specifiedRules,
  typeFromAST,
  validate,
} from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { loadConfig } from '../src/config/config';
import { createAppPubSub } from '../src/graphql/pubsub';
import { buildAppSchema } from '../src/graphql/schema';
import { depthRule, queryCost } from '../src/graphql/limits';
import { startTestApi, TestApi } from './harness/test-api';
import { errorCode, gql, register, Session } from './harness/graphql-client';
import { CountedApi, startCountedApi } from './harness/counted-api';
import { createAndDeploy } from './harness/pipeline';
import { insertExecutions } from './harness/rows';

const ALIASED = `{ ${Array.from({ length: 60 }, (_, i) => `a${i}: executions(first: 200) { edges { node { events { id } } } }`).join(' ')} }`;

// A value of the type that coerces: cost depends on `first` only, but every required variable must be there
function sampleValue(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sampleValue(type.ofType);
  if (isListType(type)) return [sampleValue(type.ofType)];
  const named = getNamedType(type);
  if (isEnumType(named)) return named.getValues()[0].value;
  if (isInputObjectType(named)) {
    const fields = Object.values(named.getFields()).filter((f) => isNonNullType(f.type));
    return Object.fromEntries(fields.map((f) => [f.name, sampleValue(f.type)]));
  }
  return (
    ({ ID: '00000000-0000-4000-8000-000000000001', Int: 1, Float: 1, Boolean: true } as Record<string, unknown>)[
      named.name
    ] ?? '1'
  );
}

type WsResult = { data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }>; closed?: number };

// One operation over graphql-ws; resolves with its first result, its errors, or the close code
function overWebSocket(
  api: TestApi,
  token: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<WsResult> {
  return new Promise((resolve) => {
    const client = createClient({
      url: `ws://127.0.0.1:${api.port}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${token}` },
      on: { closed: (event) => resolve({ closed: (event as { code: number }).code }) },
    });
    client.subscribe(
      { query, variables },
      {
        next: (result) => {
          resolve(result as WsResult);
          void client.dispose();
        },
        error: (error) => {
          resolve(Array.isArray(error) ? { errors: error } : { closed: (error as { code?: number }).code });
          void client.dispose();
        },
        complete: () => undefined,
      },
    );
  });
}

describe("the dashboard's own operations", () => {
  it('should all pass the default depth and cost limits', async () => {
    const config = loadConfig({});
    const schema = await buildAppSchema(createAppPubSub());
    const folder = path.resolve(__dirname, '../../web/app/graphql');
    const text = fs
      .readdirSync(folder)
      .filter((f) => f.endsWith('.graphql'))
      .map((f) => fs.readFileSync(path.join(folder, f), 'utf8'))
      .join('\n');
    const document = parse(text);
    const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    expect(operations.length).toBeGreaterThan(10);
    expect(validate(schema, document, [...specifiedRules, depthRule(config.GRAPHQL_MAX_DEPTH)])).toEqual([]);
    for (const operation of operations) {
      const name = operation.name!.value;
      expect(getOperationAST(document, name)).toBeTruthy();
      // every variable given (the cost does not depend on their values), pages at the dashboard's 25 rows
      const variables = Object.fromEntries(
        operation.variableDefinitions!.map((v) => [
          v.variable.name.value,
          v.variable.name.value === 'first'
            ? 25
            : sampleValue(typeFromAST(schema, v.type as NamedTypeNode) as GraphQLInputType),
        ]),
      );
      const cost = queryCost(schema, document, name, variables);
      expect([name, cost <= config.GRAPHQL_MAX_COMPLEXITY]).toEqual([name, true]);
    }
  });
});

describe('query cost', () => {
  let api: TestApi;
  let newcomer: Session;
  beforeAll(async () => {
    api = await startTestApi();
    newcomer = await register(api.url, 'newcomer@example.com');
  });
  afterAll(async () => {
    await api.close();
  });

  it('should refuse 60 aliased pages of 200 executions with their events, over HTTP', async () => {
    const res = await gql(api.url, ALIASED, undefined, newcomer.accessToken);
    expect(res.status).toBe(400);
    expect(errorCode(res)).toBe('QUERY_TOO_COMPLEX');
    expect(res.data).toBeUndefined();
  });

  it('should count the page size a variable asks for', async () => {
    const query = 'query($n: Int) { executions(first: $n) { edges { node { events { id } } } } }';
    expect(errorCode(await gql(api.url, query, { n: 200 }, newcomer.accessToken))).toBe('QUERY_TOO_COMPLEX');
    expect((await gql(api.url, query, { n: 20 }, newcomer.accessToken)).errors).toBeUndefined();
  });

  it('should refuse the same over graphql-ws, with extensions.code', async () => {
    const result = await overWebSocket(api, newcomer.accessToken, ALIASED);
    expect(result.errors?.[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(result.data).toBeUndefined();
  });

  it('should give graphql-ws errors a code and no internal text', async () => {
    const parseError = await overWebSocket(api, newcomer.accessToken, '{ me { id ');
    expect(parseError.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    const unknownField = await overWebSocket(api, newcomer.accessToken, '{ me { nope } }');
    expect(unknownField.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const badId = await overWebSocket(api, newcomer.accessToken, '{ strategy(id: "not-an-id") { id } }');
    expect(badId.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    // PostgreSQL cannot store NUL: refused before any statement, as over HTTP (never the database's own words)
    const nul = await overWebSocket(
      api,
      newcomer.accessToken,
      'query($s: String) { executions(filter: { symbol: $s }) { totalCount } }',
      { s: 'A\u0000B' },
    );
    expect(nul.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(nul)).not.toMatch(/invalid byte sequence|0x00/);
  });
});

describe('query depth over graphql-ws', () => {
  let api: TestApi;
  let user: Session;
  beforeAll(async () => {
    api = await startTestApi({ GRAPHQL_MAX_DEPTH: '2' });
    user = await register(api.url, 'deep-ws@example.com');
  });
  afterAll(async () => {
    await api.close();
  });

  it('should refuse a query deeper than GRAPHQL_MAX_DEPTH, as over HTTP', async () => {
    const deep = '{ executions { edges { node { id } } } }';
    expect(errorCode(await gql(api.url, deep, undefined, user.accessToken))).toBe('GRAPHQL_VALIDATION_FAILED');
    const result = await overWebSocket(api, user.accessToken, deep);
    expect(result.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(result.errors?.[0].message).toMatch(/exceeds maximum operation depth/);
    expect((await overWebSocket(api, user.accessToken, '{ me { id } }')).data).toEqual({ me: { id: user.user.id } });
  });
});

describe('Execution.events', () => {
  let api: CountedApi;
  beforeAll(async () => {
    api = await startCountedApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it('should be read in one statement for a whole page, not one per execution', async () => {
    const trader = await register(api.url, 'batched@example.com');
    const { id } = await createAndDeploy(api.url, trader.accessToken, {});
    await insertExecutions(api.services.sql, id, trader.user.id, 40, 3);
    let res: any;
    const { kinds } = await api.count(async () => {
      res = await gql(
        api.url,
        '{ executions(first: 40) { edges { node { id events { type } } } } }',
        undefined,
        trader.accessToken,
      );
    });
    expect(res.errors).toBeUndefined();
    expect(res.data.executions.edges).toHaveLength(40);
    for (const edge of res.data.executions.edges)
      expect(edge.node.events).toEqual([{ type: 'ORDER_FILLED' }, { type: 'ORDER_FILLED' }, { type: 'ORDER_FILLED' }]);
    expect(kinds.get('select execution_events')).toBe(1);
  });
});
