// Runs a bench's main() under a hard time budget; on overrun or failure the databases it created are dropped
// and its child processes are killed (child-process.js kills them on exit).
'use strict';

const { dropCreatedDatabases } = require('./pg-admin');

function withBudget(name, budgetMs, main) {
  const killer = setTimeout(() => {
    console.error(`${name}: ${budgetMs / 1000} s budget exceeded, aborting`);
    dropCreatedDatabases().finally(() => process.exit(2));
  }, budgetMs);
  main()
    .catch(async (error) => {
      console.error(error);
      process.exitCode = 1;
      await dropCreatedDatabases();
    })
    .finally(() => {
      clearTimeout(killer);
      // Lingering sockets or timers must not keep a finished bench alive
      setImmediate(() => process.exit());
    });
}

module.exports = { withBudget };
