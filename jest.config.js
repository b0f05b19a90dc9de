// Each workspace with tests is a jest project; `npm run test:unit` runs them all.
module.exports = {
  // Agenda leaves lock-renewal timers behind after stop() (docs/stack.md §8); they must not hold the run open
  forceExit: true,
  // A global option: a project's own testTimeout is ignored when jest runs projects, so it is set here (api tests
  // start real servers and databases; on 2 loaded cores 5 s was not enough)
  testTimeout: 30000,
  // JUnit XML for CI (Jenkins archives test-results/jest/*.xml); the console output stays the default one
  reporters: [
    'default',
    ['jest-junit', { outputDirectory: 'test-results/jest', outputName: 'junit.xml', addFileAttribute: 'true' }],
  ],
  projects: [
    '<rootDir>/plugins/broker-sdk',
    '<rootDir>/plugins/broker-paper',
    '<rootDir>/plugins/broker-dhan',
    '<rootDir>/api',
    '<rootDir>/web/jest.config.cjs',
  ],
};
