import { isDatabaseConnectionLost } from './database-connection-lost';

function withCode(message: string, code?: string): Error {
  return Object.assign(new Error(message), code ? { code } : {});
}

describe('isDatabaseConnectionLost', () => {
  it('should know the ways a dropped PostgreSQL connection shows up', () => {
    expect(isDatabaseConnectionLost(withCode('terminating connection due to administrator command', '57P01'))).toBe(
      true,
    );
    expect(isDatabaseConnectionLost(withCode('the database system is starting up', '57P03'))).toBe(true);
    expect(isDatabaseConnectionLost(withCode('connection failure', '08006'))).toBe(true);
    expect(isDatabaseConnectionLost(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'))).toBe(true);
    expect(isDatabaseConnectionLost(new Error('Connection terminated unexpectedly'))).toBe(true);
  });

  it('should leave real faults as errors', () => {
    expect(isDatabaseConnectionLost(withCode('duplicate key value violates unique constraint', '23505'))).toBe(false);
    expect(isDatabaseConnectionLost(withCode('syntax error at or near "selec"', '42601'))).toBe(false);
    expect(isDatabaseConnectionLost(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(false);
    expect(isDatabaseConnectionLost('terminating connection')).toBe(false);
  });
});
