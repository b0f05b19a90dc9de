import { startTestApi, TestApi } from './harness/test-api';

// Several branches add migrations and entity fields side by side: a migrated database must be exactly what the
// entities describe, or the ORM reads columns that do not exist (or misses a new one's default).
describe('migrations', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('should leave the database exactly as the entities describe it', async () => {
    const drift = await api.db.orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false, dropTables: false });
    expect(drift.trim()).toBe('');
  });
});
