import { ConfigError, describeConfig, loadConfig } from '../src/config/config';
import { envSchema } from '../src/config/env.schema';
import { INDIAN_MARKET_CALENDAR } from '@algodatta/broker-sdk';
import { formatSquareOffTimes, parseSquareOffTimes, squareOffSchedules } from '../src/jobs/square-off-times';
import { shippedPluginSettings } from '../src/modules/brokers/plugin-settings';
import fs from 'node:fs';
import path from 'node:path';

describe('config', () => {
  it('should apply documented defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 4000,
      WEB_PORT: 3000,
      PUBLIC_BASE_URL: 'http://localhost:4000',
      BROKER_PLUGIN_OPTIONS: '{}',
    });
    expect(config.DATABASE_URL).toBeUndefined();
    // The plugins this build ships load when BROKER_PLUGINS is unset (api/package.json)
    expect(config.BROKER_PLUGINS).toBeUndefined();
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
    const ok = loadConfig({
      NODE_ENV: 'production',
      SECRET_KEY: 'p'.repeat(40),
      ENCRYPTION_KEY: 'e'.repeat(40),
      SEED_ADMIN_PASSWORD: 'a-real-admin-password',
    });
    expect(ok.NODE_ENV).toBe('production');
  });

  it('should refuse production with the published admin password', () => {
    const secrets = { NODE_ENV: 'production', SECRET_KEY: 'p'.repeat(40), ENCRYPTION_KEY: 'e'.repeat(40) };
    expect(() => loadConfig(secrets)).toThrow(/SEED_ADMIN_PASSWORD must be set/);
    expect(() => loadConfig({ ...secrets, SEED_ADMIN_PASSWORD: 'admin12345' })).toThrow(
      /SEED_ADMIN_PASSWORD must be set/,
    );
    // development and tests keep the documented default
    expect(loadConfig({}).SEED_ADMIN_PASSWORD).toBe('admin12345');
  });

  it('should mask sensitive values when described', () => {
    const described = describeConfig(loadConfig({ SECRET_KEY: 's'.repeat(40), DATABASE_URL: 'postgres://u:pw@h/db' }));
    expect(described.SECRET_KEY).toBe('***');
    expect(described.DATABASE_URL).toBe('***');
    expect(described.PORT).toBe(4000);
  });

  it("should default the square-off times to the paper venue's calendar and refuse a bad one", () => {
    expect(loadConfig({}).SQUARE_OFF_TIMES).toBeUndefined();
    expect(formatSquareOffTimes(squareOffSchedules(undefined, INDIAN_MARKET_CALENDAR))).toBe(
      'NSE_EQ,BSE_EQ,NSE_FNO,BSE_FNO@15:15;MCX_COMM@23:25;NSE_CURRENCY,BSE_CURRENCY@16:45',
    );
    expect(squareOffSchedules('MCX_COMM@23:00', INDIAN_MARKET_CALENDAR)).toEqual([
      { segments: ['MCX_COMM'], time: '23:00' },
    ]);
    expect(squareOffSchedules(undefined, null)).toEqual([]);
    expect(parseSquareOffTimes('NSE_EQ,NSE_FNO@15:10;MCX_COMM@23:20')).toEqual([
      { segments: ['NSE_EQ', 'NSE_FNO'], time: '15:10' },
      { segments: ['MCX_COMM'], time: '23:20' },
    ]);
    expect(() => parseSquareOffTimes('NYSE@15:10')).toThrow(/SQUARE_OFF_TIMES/);
    expect(() => parseSquareOffTimes('NSE_EQ@25:00')).toThrow(/SQUARE_OFF_TIMES/);
  });

  it('should document every setting in .env.example', () => {
    const example = fs.readFileSync(path.resolve(__dirname, '../../.env.example'), 'utf8');
    for (const key of Object.keys(envSchema)) expect(example).toMatch(new RegExp(`^#?\\s*${key}=`, 'm'));
  });

  it("should document every shipped plugin's settings in .env.example, from the plugins' own schemas, with their deprecated names", () => {
    const example = fs.readFileSync(path.resolve(__dirname, '../../.env.example'), 'utf8');
    const plugins = shippedPluginSettings();
    expect(plugins.map((p) => p.plugin)).toEqual(['paper', 'dhan']);
    for (const { settings } of plugins) {
      for (const s of settings) {
        expect(example).toMatch(new RegExp(`^#?\\s*${s.env}=`, 'm'));
        for (const old of s.aliases) expect(example).toContain(old);
      }
    }
    const names = plugins.flatMap((p) => p.settings.map((s) => s.env));
    expect(names).toEqual(
      expect.arrayContaining([
        'BROKER_DHAN_BASE_URL',
        'BROKER_DHAN_INSTRUMENTS_SOURCE',
        'BROKER_PAPER_SLIPPAGE_BPS',
        'BROKER_PAPER_MARKET_HOURS',
      ]),
    );
    // The core's own schema lists no broker's settings
    expect(Object.keys(envSchema).filter((k) => /DHAN|PAPER/.test(k))).toEqual([]);
  });
});
