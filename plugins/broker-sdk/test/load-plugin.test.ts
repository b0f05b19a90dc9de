import path from 'node:path';
import {
  AuthError,
  CONTRACT_VERSION,
  loadBrokerPlugin,
  PluginLoadError,
  validateManifest,
} from '@algodatta/broker-sdk';

// The example plugin, outside the workspaces (examples/broker-example), loaded by path as the api does
const EXAMPLE = path.resolve(__dirname, '../../../examples/broker-example');
type Definition = {
  manifest: Record<string, unknown> & { has: Record<string, unknown> };
  create: unknown;
  optionsSchema: unknown;
  parseWebhook?: unknown;
  instruments?: unknown;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const example = require(EXAMPLE) as {
  default: Definition;
  exchange: { addAccount(c: Record<string, string>): unknown };
};
const GOOD = { clientId: 'EX-LOAD', accessToken: 'load-test-token' };
example.exchange.addAccount(GOOD);
const ctx = (credentials: Record<string, string>) => ({
  logger: { debug() {}, info() {}, warn() {}, error() {} },
  clock: { now: () => 1_700_000_000_000 },
  accountId: 'acc-1',
  credentials,
});

function loadError(fn: () => unknown): PluginLoadError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PluginLoadError);
    return e as PluginLoadError;
  }
  throw new Error('expected PluginLoadError');
}

describe('loadBrokerPlugin', () => {
  it('should load the example plugin by path and create a working client', async () => {
    const loaded = loadBrokerPlugin(require(EXAMPLE), { staticIp: '198.51.100.7' }, EXAMPLE);
    expect(loaded.manifest.name).toBe('example');
    expect(loaded.manifest.paper).toBe(false);
    const client = await loaded.createClient(ctx(GOOD));
    const funds = await client.funds();
    expect(funds.available).toBe('1000000');
    expect((await client.getStaticIp!()).primary).toBe('198.51.100.7');
    await client.close();
    // The plugin-level hooks its manifest declares, built with its options
    expect(loaded.instruments?.refreshCron).toBe('30 7 * * *');
    expect(loaded.parseWebhook?.({ headers: {}, body: '{"order_id":"EX1"}' })).toEqual({
      ok: true,
      ref: { brokerOrderId: 'EX1' },
    });
    expect(loaded.marketHours).toBeNull();
  });

  it('should fail naming the plugin and field when the manifest is broken', () => {
    const broken = {
      ...example.default,
      manifest: { ...example.default.manifest, version: 'one', has: { placeOrder: true } },
    };
    const e = loadError(() => loadBrokerPlugin({ default: broken }));
    expect(e.plugin).toBe('example');
    expect(e.message).toContain('Broker plugin "example" cannot be loaded');
    expect(e.message).toContain('manifest.version: version must be semver');
    expect(e.message).toContain('manifest.has.cancelOrder');
  });

  it('should refuse an unsupported contract version', () => {
    const future = {
      ...example.default,
      manifest: { ...example.default.manifest, contractVersion: CONTRACT_VERSION + 1 },
    };
    expect(loadError(() => loadBrokerPlugin(future)).message).toMatch(/contractVersion 2 is not supported/);
  });

  it('should report invalid options with their path', () => {
    expect(loadError(() => loadBrokerPlugin(require(EXAMPLE), { staticIp: 42 })).message).toMatch(/options\.staticIp/);
  });

  it('should refuse a module that exports no plugin', () => {
    expect(loadError(() => loadBrokerPlugin({ foo: 1 }, {}, 'some-module')).plugin).toBe('some-module');
  });

  it('should refuse a client that misses a method its manifest promises', async () => {
    const liar = {
      ...example.default,
      create: (c: ReturnType<typeof ctx>, o: unknown) => {
        const client = (example.default.create as (a: unknown, b: unknown) => Record<string, unknown>)(c, o);
        client.cancelOrder = undefined;
        return client;
      },
    };
    const loaded = loadBrokerPlugin(liar);
    await expect(loaded.createClient(ctx(GOOD))).rejects.toThrow(
      /"example" cannot be loaded: has.cancelOrder is true but client.cancelOrder is not a function/,
    );
  });

  it('should throw AuthError when a required credential is missing', async () => {
    const loaded = loadBrokerPlugin(require(EXAMPLE));
    await expect(loaded.createClient(ctx({}))).rejects.toBeInstanceOf(AuthError);
  });

  it('should refuse a plugin whose manifest declares a plugin-level hook it does not define', () => {
    const { parseWebhook: _w, instruments: _i, ...rest } = example.default;
    const e = loadError(() => loadBrokerPlugin({ default: rest }));
    expect(e.problems).toEqual([
      'has.webhooks is declared but parseWebhook(request, options) is not a function',
      'has.instrumentMaster is declared but instruments(options) is not a function',
    ]);
    const paperish = {
      ...example.default,
      manifest: { ...example.default.manifest, has: { ...example.default.manifest.has, marketHours: true } },
    };
    expect(loadError(() => loadBrokerPlugin(paperish)).problems).toEqual([
      'has.marketHours is declared but marketHours(options) is not a function',
    ]);
  });

  it('should stop the load when a hook throws or returns something unusable, naming the plugin', () => {
    const throwing = {
      ...example.default,
      instruments: () => {
        throw new Error('no source configured');
      },
    };
    expect(loadError(() => loadBrokerPlugin(throwing)).message).toBe(
      'Broker plugin "example" cannot be loaded: instruments(options) threw: no source configured',
    );
    const empty = { ...example.default, instruments: () => ({}) };
    expect(loadError(() => loadBrokerPlugin(empty)).message).toMatch(
      /instruments\(options\) must return \{ source, refreshCron, download, resolve \}/,
    );
  });

  it('should report every manifest problem at once through validateManifest', () => {
    const v = validateManifest({ name: 'Bad Name' });
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.problems.length).toBeGreaterThan(3);
  });
});
