import { startTestApi, TestApi } from './harness/test-api';
import { gql } from './harness/graphql-client';

// `npm start` runs in development mode, where Apollo would add a stack trace (file paths, our internals) to every
// error it answers: a user's typo must get a code and a message, never our source layout
describe('GraphQL errors in development mode', () => {
  let api: TestApi;
  const nodeEnv = process.env.NODE_ENV;
  beforeAll(async () => {
    process.env.NODE_ENV = 'development';
    api = await startTestApi();
  });
  afterAll(async () => {
    process.env.NODE_ENV = nodeEnv;
    await api?.close();
  });

  it('should answer parse and validation errors without a stack trace', async () => {
    for (const query of ['{ me { id ', '{ me { nope } }']) {
      const res = await gql(api.url, query);
      const error = res.errors?.[0];
      expect(error?.extensions?.code).toMatch(/^GRAPHQL_(PARSE|VALIDATION)_FAILED$/);
      expect(JSON.stringify(res.errors)).not.toMatch(/stacktrace|\.ts:|node_modules/);
    }
  });
});
