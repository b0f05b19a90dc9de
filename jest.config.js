// Each workspace with tests is a jest project; `npm run test:unit` runs them all.
module.exports = {
  projects: ['<rootDir>/plugins/broker-sdk', '<rootDir>/plugins/broker-paper', '<rootDir>/plugins/broker-dhan', '<rootDir>/api'],
};
