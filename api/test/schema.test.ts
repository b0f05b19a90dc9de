import fs from 'node:fs';
import path from 'node:path';
import { createAppPubSub } from '../src/graphql/pubsub';
import { buildAppSchema, printAppSchema } from '../src/graphql/schema';

describe('schema/schema.graphql', () => {
  it('should match the schema the code builds (run `npm run schema` after changing resolvers)', async () => {
    const committed = fs.readFileSync(path.resolve(__dirname, '../../schema/schema.graphql'), 'utf8');
    expect(printAppSchema(await buildAppSchema(createAppPubSub()))).toBe(committed);
  });

  it('should expose the contract names', async () => {
    const sdl = printAppSchema(await buildAppSchema(createAppPubSub()));
    for (const name of [
      'register(input: RegisterInput!): AuthPayload!',
      'login(input: LoginInput!): AuthPayload!',
      'refreshToken(token: String!): AuthPayload!',
      'me: User!',
      'executionEvents(strategyId: ID): ExecutionEvent!',
      'setUserStatus(id: ID!, status: UserStatus!): User!',
    ]) {
      expect(sdl).toContain(name);
    }
  });
});
