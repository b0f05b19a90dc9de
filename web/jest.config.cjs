// Unit tests of the dashboard's pure logic (table state, filters, IST times, form checks): `npm run test:unit -w web`.
// The page flows themselves are covered end to end in test/e2e (real api, web and Chromium).
const base = require("../jest.swc.js");

module.exports = {
  ...base,
  displayName: "@algodatta/web",
  rootDir: __dirname,
  testMatch: ["<rootDir>/test/unit/**/*.test.ts"],
};
