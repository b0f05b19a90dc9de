// GraphQL codegen for the web dashboard: `npm run codegen`. Reads schema/schema.graphql (emitted from the api by
// `npm run schema`) and web/app/graphql/*.graphql; regenerate after any schema or operation change.
// @graphql-codegen/core with the three plugins, without @graphql-codegen/cli: the CLI's loaders (URLs, git,
// GitHub, Apollo Engine) are not needed for two local files, and they pull in packages that require Node 22.
// typescript-operations 6 emits the enums/inputs it needs itself, so the full schema types (typescript plugin)
// go to their own file and the operations file imports them instead of declaring them twice.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { codegen } from "@graphql-codegen/core";
import * as typedDocumentNode from "@graphql-codegen/typed-document-node";
import * as typescript from "@graphql-codegen/typescript";
import * as typescriptOperations from "@graphql-codegen/typescript-operations";
import { buildSchema, parse } from "graphql";

const root = dirname(fileURLToPath(import.meta.url));
process.chdir(root); // output paths and importSchemaTypesFrom are relative to the repo root, as codegen.yml's were
const SCHEMA = "schema/schema.graphql";
const DOCUMENTS = "web/app/graphql";
const SCHEMA_TYPES = "web/app/graphql/generated/schema-types.ts";
const OPERATIONS = "web/app/graphql/generated/graphql.ts";

const config = {
  useTypeImports: true,
  enumsAsTypes: true,
  scalars: { DateTimeISO: "string", DateTime: "string", Decimal: "string", JSON: "unknown" },
};
const pluginMap = { typescript, "typescript-operations": typescriptOperations, "typed-document-node": typedDocumentNode };

const schemaAst = buildSchema(readFileSync(SCHEMA, "utf8"));
const schema = parse(readFileSync(SCHEMA, "utf8"));
const documents = readdirSync(DOCUMENTS, { recursive: true })
  .filter((file) => file.endsWith(".graphql"))
  .sort()
  .map((file) => {
    const location = join(DOCUMENTS, file);
    return { location, document: parse(readFileSync(location, "utf8")) };
  });

const outputs = [
  { filename: SCHEMA_TYPES, plugins: ["typescript"], config: {} },
  { filename: OPERATIONS, plugins: ["typescript-operations", "typed-document-node"], config: { importSchemaTypesFrom: SCHEMA_TYPES } },
];
for (const output of outputs) {
  const text = await codegen({
    filename: output.filename,
    schema,
    schemaAst,
    documents,
    config: { ...config, ...output.config },
    plugins: output.plugins.map((name) => ({ [name]: {} })),
    pluginMap,
  });
  writeFileSync(output.filename, text);
  console.log(`[codegen] ${relative(root, output.filename)}`);
}
