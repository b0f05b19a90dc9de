import { startTestApi, TestApi } from './harness/test-api';
import { errorCode, gql, register, Session } from './harness/graphql-client';
import { createAndDeploy } from './harness/pipeline';
import { insertExecutions } from './harness/rows';

const PAGE = `query($first: Int, $after: String, $filter: ExecutionFilter) {
  executions(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id createdAt } } }
}`;

type Page = {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: Array<{ cursor: string; node: { id: string } }>;
};

async function pageAll(
  api: TestApi,
  token: string,
  first: number,
  filter?: Record<string, unknown>,
): Promise<{ ids: string[]; totalCount: number; pages: number }> {
  const ids: string[] = [];
  let after: string | null = null;
  let totalCount = 0;
  let pages = 0;
  for (;;) {
    const res = await gql<{ executions: Page }>(api.url, PAGE, { first, after, filter }, token);
    if (!res.data) throw new Error(JSON.stringify(res.errors));
    const page: Page = res.data.executions;
    totalCount = page.totalCount;
    pages += 1;
    ids.push(...page.edges.map((e) => e.node.id));
    if (!page.pageInfo.hasNextPage) return { ids, totalCount, pages };
    after = page.pageInfo.endCursor;
    if (pages > 100) throw new Error('paging does not end');
  }
}

describe('executions paging', () => {
  let api: TestApi;
  let trader: Session;
  let strategyId: string;
  let batch: string[];

  beforeAll(async () => {
    api = await startTestApi();
    trader = await register(api.url, 'pager@example.com');
    strategyId = (await createAndDeploy(api.url, trader.accessToken, { name: 'Pager' })).id;
    // One statement: all 400 rows share one created_at, as an intake batch committed together does
    batch = await insertExecutions(api.services.sql, strategyId, trader.user.id, 400);
  });
  afterAll(async () => {
    await api.close();
  });

  it('should return every row exactly once when 400 rows share one created_at, paged 50 at a time', async () => {
    const { ids, totalCount, pages } = await pageAll(api, trader.accessToken, 50);
    expect(totalCount).toBe(400);
    expect(pages).toBe(8);
    expect(new Set(ids).size).toBe(400);
    expect([...ids].sort()).toEqual([...batch].sort());
  });

  it('should page exactly across batches with different timestamps and odd page sizes', async () => {
    const later = await insertExecutions(api.services.sql, strategyId, trader.user.id, 150);
    const { ids, totalCount } = await pageAll(api, trader.accessToken, 37, { strategyId });
    expect(totalCount).toBe(550);
    expect(new Set(ids).size).toBe(550);
    // newest first: the later batch comes before the first one
    expect(new Set(ids.slice(0, 150))).toEqual(new Set(later));
  });

  it('should refuse a cursor that is not one of ours', async () => {
    for (const after of ['garbage', Buffer.from('123|not-a-uuid').toString('base64url')]) {
      const res = await gql(api.url, PAGE, { first: 10, after }, trader.accessToken);
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
    }
  });
});
