// Each workspace with tests is a jest project; `npm run test:unit` runs them all.
module.exports = {
  // Agenda leaves lock-renewal timers behind after stop() (docs/stack.md §8); they must not hold the run open
  forceExit: true,
  // A global option: a project's own testTimeout is ignored when jest runs projects, so it is set here (api tests
  // start real servers and databases; on 2 loaded cores 5 s was not enough)
  testTimeout: 30000,
  projects: ['<rootDir>/plugins/broker-sdk', '<rootDir>/plugins/broker-paper', '<rootDir>/plugins/broker-dhan', '<rootDir>/api', '<rootDir>/web/jest.config.cjs'],
};
