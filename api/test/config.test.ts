import { ConfigError, describeConfig, loadConfig } from '../src/config/config';
import { envSchema } from '../src/config/env.schema';
import { DEFAULT_SQUARE_OFF_TIMES, parseSquareOffTimes } from '../src/jobs/square-off-times';
import fs from 'node:fs';
import path from 'node:path';

describe('config', () => {
  it('should apply documented defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 4000, WEB_PORT: 3000, PUBLIC_BASE_URL: 'http://localhost:4000', DHAN_BASE_URL: 'https://api.dhan.co/v2' });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('should list every bad value at once', () => {
    expect(() => loadConfig({ PORT: 'abc', SECRET_KEY: 'short', PUBLIC_BASE_URL: 'not a url' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'abc', SECRET_KEY: 'short', PUBLIC_BASE_URL: 'not a url' });
    } catch (error) {
      expect((error as Error).message).toMatch(/PORT/);
      expect((error as Error).message).toMatch(/SECRET_KEY/);
      expect((error as Error).message).toMatch(/PUBLIC_BASE_URL/);
    }
  });

  it('should refuse production with default secrets and accept it with real ones', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SECRET_KEY must be set/);
    const ok = loadConfig({ NODE_ENV: 'production', SECRET_KEY: 'p'.repeat(40), ENCRYPTION_KEY: 'e'.repeat(40), SEED_ADMIN_PASSWORD: 'a-real-admin-password' });
    expect(ok.NODE_ENV).toBe('production');
  });

  it('should refuse production with the published admin password', () => {
    const secrets = { NODE_ENV: 'production', SECRET_KEY: 'p'.repeat(40), ENCRYPTION_KEY: 'e'.repeat(40) };
    expect(() => loadConfig(secrets)).toThrow(/SEED_ADMIN_PASSWORD must be set/);
    expect(() => loadConfig({ ...secrets, SEED_ADMIN_PASSWORD: 'admin12345' })).toThrow(/SEED_ADMIN_PASSWORD must be set/);
    // development and tests keep the documented default
    expect(loadConfig({}).SEED_ADMIN_PASSWORD).toBe('admin12345');
  });

  it('should mask sensitive values when described', () => {
    const described = describeConfig(loadConfig({ SECRET_KEY: 's'.repeat(40), DATABASE_URL: 'postgres://u:pw@h/db' }));
    expect(described.SECRET_KEY).toBe('***');
    expect(described.DATABASE_URL).toBe('***');
    expect(described.PORT).toBe(4000);
  });

  it('should default the square-off times to the paper broker\'s published schedule and refuse a bad one', () => {
    expect(loadConfig({}).SQUARE_OFF_TIMES).toBe(DEFAULT_SQUARE_OFF_TIMES);
    expect(parseSquareOffTimes('NSE_EQ,NSE_FNO@15:10;MCX_COMM@23:20')).toEqual([{ segments: ['NSE_EQ', 'NSE_FNO'], time: '15:10' }, { segments: ['MCX_COMM'], time: '23:20' }]);
    expect(() => parseSquareOffTimes('NYSE@15:10')).toThrow(/SQUARE_OFF_TIMES/);
    expect(() => parseSquareOffTimes('NSE_EQ@25:00')).toThrow(/SQUARE_OFF_TIMES/);
  });

  it('should document every setting in .env.example', () => {
    const example = fs.readFileSync(path.resolve(__dirname, '../../.env.example'), 'utf8');
    for (const key of Object.keys(envSchema)) expect(example).toMatch(new RegExp(`^#?\\s*${key}=`, 'm'));
  });
});
