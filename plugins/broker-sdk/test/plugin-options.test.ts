// A plugin's options from the environment: BROKER_<NAME>_<OPTION>, typed by the plugin's schema, deprecated names
import { describeOptions, hostOptionsFor, optionEnvName, optionsFromEnv, z } from '@algodatta/broker-sdk';

const schema = z.object({
  databaseUrl: z.string(),
  baseUrl: z.string().url().default('https://api.acme.example').describe('REST base'),
  timeoutMs: z.number().int().positive().default(10_000),
  lookupBeforePlace: z.boolean().default(true),
  rateLimits: z.object({ perSecond: z.number().default(8) }).prefault({}),
  freezeQuantities: z.record(z.string(), z.number()).default({}),
  slippageBps: z.string().regex(/^\d+$/).default('5'),
  mode: z.enum(['enforce', 'ignore']).default('enforce'),
});

describe('plugin options from the environment', () => {
  it('should name each option BROKER_<NAME>_<OPTION>', () => {
    expect(optionEnvName('dhan', 'baseUrl')).toBe('BROKER_DHAN_BASE_URL');
    expect(optionEnvName('my-broker', 'orderUpdatesUrl')).toBe('BROKER_MY_BROKER_ORDER_UPDATES_URL');
  });

  it("should describe every option but the host's own, with its default and deprecated names", () => {
    const settings = describeOptions('acme', schema, { ACME_URL: 'baseUrl' });
    expect(settings.map((s) => s.key)).toEqual([
      'baseUrl',
      'timeoutMs',
      'lookupBeforePlace',
      'rateLimits',
      'freezeQuantities',
      'slippageBps',
      'mode',
    ]);
    expect(settings[0]).toEqual({
      key: 'baseUrl',
      env: 'BROKER_ACME_BASE_URL',
      type: 'string',
      description: 'REST base',
      defaultValue: 'https://api.acme.example',
      aliases: ['ACME_URL'],
    });
    expect(settings.find((s) => s.key === 'timeoutMs')).toMatchObject({ type: 'integer', defaultValue: '10000' });
    expect(settings.find((s) => s.key === 'rateLimits')).toMatchObject({ type: 'object', defaultValue: '{}' });
  });

  it('should type values by the schema, so the schema validates what the environment said', () => {
    const env = {
      BROKER_ACME_TIMEOUT_MS: '2500',
      BROKER_ACME_LOOKUP_BEFORE_PLACE: 'false',
      BROKER_ACME_RATE_LIMITS: '{"perSecond":3}',
      BROKER_ACME_FREEZE_QUANTITIES: '{"NIFTY":1800}',
      BROKER_ACME_SLIPPAGE_BPS: '10',
      BROKER_ACME_MODE: 'ignore',
      BROKER_ACME_DATABASE_URL: 'postgres://x',
    };
    const { options, deprecated } = optionsFromEnv('acme', schema, env);
    expect(options).toEqual({
      timeoutMs: 2500,
      lookupBeforePlace: false,
      rateLimits: { perSecond: 3 },
      freezeQuantities: { NIFTY: 1800 },
      slippageBps: '10',
      mode: 'ignore',
    });
    expect(deprecated).toEqual([]);
    // A value that is not what the schema wants stays as written, for the schema to refuse with the option's path
    const bad = optionsFromEnv('acme', schema, { BROKER_ACME_TIMEOUT_MS: 'soon' }).options;
    expect(bad).toEqual({ timeoutMs: 'soon' });
    expect(schema.safeParse({ databaseUrl: 'x', ...bad }).success).toBe(false);
  });

  it('should read a deprecated name when the new one is unset, and say so', () => {
    const aliases = { ACME_URL: 'baseUrl', ACME_MODE: 'mode' };
    const old = optionsFromEnv('acme', schema, { ACME_URL: 'http://127.0.0.1:9/v1', ACME_MODE: '' }, aliases);
    expect(old).toEqual({
      options: { baseUrl: 'http://127.0.0.1:9/v1' },
      deprecated: [{ name: 'ACME_URL', replacement: 'BROKER_ACME_BASE_URL' }],
    });
    const both = optionsFromEnv(
      'acme',
      schema,
      { ACME_URL: 'http://old.example', BROKER_ACME_BASE_URL: 'http://new.example' },
      aliases,
    );
    expect(both).toEqual({ options: { baseUrl: 'http://new.example' }, deprecated: [] });
  });

  it("should hand the host's database only to a plugin whose schema asks for it", () => {
    expect(hostOptionsFor(schema, { databaseUrl: 'postgres://h/db' })).toEqual({ databaseUrl: 'postgres://h/db' });
    expect(hostOptionsFor(z.object({ baseUrl: z.string() }), { databaseUrl: 'postgres://h/db' })).toEqual({});
  });
});
