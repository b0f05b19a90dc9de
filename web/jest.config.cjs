// Unit tests of the dashboard's pure logic (table state, filters, IST times, form checks): `npm run test:unit -w web`.
// The page flows themselves are covered end to end in test/e2e (real api, web and Chromium).
const base = require("../jest.swc.js");

module.exports = {
  ...base,
  displayName: "@algodatta/web",
  rootDir: __dirname,
  testMatch: ["<rootDir>/test/unit/**/*.test.ts"],
  // The dashboard imports the SDK's dependency-free sources by their package path (as Vite does), so the plugins'
  // mapping of @algodatta/* to sibling folders does not apply here: node resolution through the workspace link does
  moduleNameMapper: {},
};
