// One transformer for every workspace: swc emits decorator metadata (type-graphql, MikroORM need it)
// and is much faster than ts-jest. ESM-only packages (agenda, graphql-ws) are transformed to CJS.
module.exports = {
  transform: {
    '^.+\\.[tj]sx?$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(agenda|@agendajs|graphql-ws|csv-parse|csv-stringify)/)'],
  // Tests run against the plugins' sources, so no build is needed before jest
  moduleNameMapper: {
    '^@algodatta/(broker-[a-z]+)$': '<rootDir>/../../plugins/$1/src/index.ts',
    '^@algodatta/(broker-[a-z]+)/(.*)$': '<rootDir>/../../plugins/$1/src/$2',
  },
  testEnvironment: 'node',
};
