const base = require('../../jest.swc.js');
module.exports = {
  ...base,
  displayName: require('./package.json').name,
  testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/src/**/*.spec.ts'],
};
