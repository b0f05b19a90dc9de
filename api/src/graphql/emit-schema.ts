import fs from 'node:fs';
import path from 'node:path';
import { createAppPubSub } from './pubsub';
import { buildAppSchema, printAppSchema } from './schema';

export const SCHEMA_PATH = path.resolve(__dirname, '../../../schema/schema.graphql');

// `npm run schema` writes the SDL that web codegen reads.
async function main(): Promise<void> {
  const schema = await buildAppSchema(createAppPubSub());
  fs.writeFileSync(SCHEMA_PATH, printAppSchema(schema));
  process.stdout.write(`wrote ${SCHEMA_PATH}\n`);
}

if (require.main === module) void main();
