// GraphQL codegen for the web dashboard: `npm run codegen`, configured by codegen.yml. Reads schema/schema.graphql (emitted from the api by
// `npm run schema`) and web/app/graphql/*.graphql; regenerate after any schema or operation change.
// @graphql-codegen/core with the three plugins, without @graphql-codegen/cli: the CLI's loaders (URLs, git,
// GitHub, Apollo Engine) are not needed for two local files, and they pull in packages that require Node 22.
// typescript-operations 6 emits the enums/inputs it needs itself, so the full schema types (typescript plugin)
// go to their own file and the operations file imports them instead of declaring them twice.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codegen } from '@graphql-codegen/core';
import * as typedDocumentNode from '@graphql-codegen/typed-document-node';
import * as typescript from '@graphql-codegen/typescript';
import * as typescriptOperations from '@graphql-codegen/typescript-operations';
import { buildSchema, parse as parseGraphql } from 'graphql';
import { parse } from 'yaml';

const root = dirname(fileURLToPath(import.meta.url));
process.chdir(root); // paths in codegen.yml are relative to the repo root
// codegen.yml is the configuration (the CLI's format): schema, documents, shared config and one entry per output
const settings = parse(readFileSync('codegen.yml', 'utf8'));
const SCHEMA = settings.schema;
const DOCUMENTS = settings.documents.map((glob) => glob.replace(/\/\*\*\/\*\.graphql$/, ''));
const pluginMap = {
  typescript,
  'typescript-operations': typescriptOperations,
  'typed-document-node': typedDocumentNode,
};

const schemaAst = buildSchema(readFileSync(SCHEMA, 'utf8'));
const schema = parseGraphql(readFileSync(SCHEMA, 'utf8'));
const documents = DOCUMENTS.flatMap((folder) =>
  readdirSync(folder, { recursive: true })
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => {
      const location = join(folder, file);
      return { location, document: parseGraphql(readFileSync(location, 'utf8')) };
    }),
);

const outputs = Object.entries(settings.generates).map(([filename, output]) => ({
  filename,
  plugins: output.plugins,
  config: output.config ?? {},
}));
for (const output of outputs) {
  const text = await codegen({
    filename: output.filename,
    schema,
    schemaAst,
    documents,
    config: { ...settings.config, ...output.config },
    plugins: output.plugins.map((name) => ({ [name]: {} })),
    pluginMap,
  });
  writeFileSync(output.filename, text);
  console.log(`[codegen] ${relative(root, output.filename)}`);
}
