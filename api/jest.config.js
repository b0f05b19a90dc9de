const base = require('../jest.swc.js');
module.exports = {
  ...base,
  moduleNameMapper: {
    '^@algodatta/(broker-[a-z]+)$': '<rootDir>/../plugins/$1/src/index.ts',
    '^@algodatta/(broker-[a-z]+)/(.*)$': '<rootDir>/../plugins/$1/src/$2',
  },
  displayName: '@algodatta/api',
  testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/src/**/*.spec.ts'],
  globalSetup: '<rootDir>/test/harness/global-setup.ts',
  globalTeardown: '<rootDir>/test/harness/global-teardown.ts',
  testTimeout: 30000,
};
