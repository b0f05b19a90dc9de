import path from 'node:path';
import { AuthError, CONTRACT_VERSION, loadBrokerPlugin, PluginLoadError, validateManifest } from '@algodatta/broker-sdk';

const EXAMPLE = path.join(__dirname, '..', 'examples', 'example-broker', 'index.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const example = require(EXAMPLE) as { default: { manifest: Record<string, unknown>; create: unknown; optionsSchema: unknown } };
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
    const loaded = loadBrokerPlugin(require(EXAMPLE), { validApiKey: 'k1' }, EXAMPLE);
    expect(loaded.manifest.name).toBe('example');
    expect(loaded.manifest.paper).toBe(false);
    const client = await loaded.createClient(ctx({ apiKey: 'k1' }));
    const funds = await client.funds();
    expect(funds.available).toBe('100000');
    await client.close();
  });

  it('should fail naming the plugin and field when the manifest is broken', () => {
    const broken = { ...example.default, manifest: { ...example.default.manifest, version: 'one', has: { placeOrder: true } } };
    const e = loadError(() => loadBrokerPlugin({ default: broken }));
    expect(e.plugin).toBe('example');
    expect(e.message).toContain('Broker plugin "example" cannot be loaded');
    expect(e.message).toContain('manifest.version: version must be semver');
    expect(e.message).toContain('manifest.has.cancelOrder');
  });

  it('should refuse an unsupported contract version', () => {
    const future = { ...example.default, manifest: { ...example.default.manifest, contractVersion: CONTRACT_VERSION + 1 } };
    expect(loadError(() => loadBrokerPlugin(future)).message).toMatch(/contractVersion 2 is not supported/);
  });

  it('should report invalid options with their path', () => {
    expect(loadError(() => loadBrokerPlugin(require(EXAMPLE), { validApiKey: 42 })).message).toMatch(/options\.validApiKey/);
  });

  it('should refuse a module that exports no plugin', () => {
    expect(loadError(() => loadBrokerPlugin({ foo: 1 }, {}, 'some-module')).plugin).toBe('some-module');
  });

  it('should refuse a client that misses a method its manifest promises', async () => {
    const liar = {
      ...example.default,
      create: (c: ReturnType<typeof ctx>, o: unknown) => {
        const client = (example.default.create as (a: unknown, b: unknown) => Record<string, unknown>)(c, o);
        delete client.cancelOrder;
        return client;
      },
    };
    const loaded = loadBrokerPlugin(liar);
    await expect(loaded.createClient(ctx({ apiKey: 'demo-key' }))).rejects.toThrow(
      /"example" cannot be loaded: has.cancelOrder is true but client.cancelOrder is not a function/,
    );
  });

  it('should throw AuthError when a required credential is missing', async () => {
    const loaded = loadBrokerPlugin(require(EXAMPLE));
    await expect(loaded.createClient(ctx({}))).rejects.toBeInstanceOf(AuthError);
  });

  it('should report every manifest problem at once through validateManifest', () => {
    const v = validateManifest({ name: 'Bad Name' });
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.problems.length).toBeGreaterThan(3);
  });
});
