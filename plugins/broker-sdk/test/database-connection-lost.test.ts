import { isDatabaseConnectionLost, logIdleConnectionError, type LogMeta } from '@algodatta/broker-sdk';

function withCode(message: string, code?: string): Error {
  return Object.assign(new Error(message), code ? { code } : {});
}

function recordingLogger() {
  const lines: Array<{ level: 'warn' | 'error'; message: string; meta?: LogMeta }> = [];
  return {
    lines,
    warn: (message: string, meta?: LogMeta) => lines.push({ level: 'warn', message, meta }),
    error: (message: string, meta?: LogMeta) => lines.push({ level: 'error', message, meta }),
  };
}

// The one classifier the api's background rounds and the paper/Agenda pools' 'error' handlers share
describe('a pool whose idle connection failed', () => {
  it('should say a lost connection as a warning (the pool reconnects on its next query)', () => {
    const logger = recordingLogger();
    logIdleConnectionError(logger, 'paper', withCode('terminating connection due to administrator command', '57P01'));
    logIdleConnectionError(logger, 'agenda', new Error('Connection terminated unexpectedly'));
    expect(logger.lines).toEqual([
      {
        level: 'warn',
        message: 'paper: idle PostgreSQL connection lost',
        meta: { error: 'terminating connection due to administrator command' },
      },
      {
        level: 'warn',
        message: 'agenda: idle PostgreSQL connection lost',
        meta: { error: 'Connection terminated unexpectedly' },
      },
    ]);
  });

  it('should say anything else as an error', () => {
    const logger = recordingLogger();
    logIdleConnectionError(logger, 'paper', withCode('password authentication failed for user "x"', '28P01'));
    expect(logger.lines).toEqual([
      {
        level: 'error',
        message: 'paper: idle PostgreSQL connection failed',
        meta: { error: 'password authentication failed for user "x"' },
      },
    ]);
    expect(isDatabaseConnectionLost(withCode('connection failure', '08006'))).toBe(true);
    // a socket error passed on by its message alone, as Agenda's notification connection does
    expect(isDatabaseConnectionLost(new Error('read ECONNRESET'))).toBe(true);
    expect(isDatabaseConnectionLost(new Error('ECONNRESET is mentioned in this unrelated text'))).toBe(false);
  });
});
