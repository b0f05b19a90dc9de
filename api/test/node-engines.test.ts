import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';

// README promises Node 20.19+: `npm ci` must not install a package that asks for a newer Node (npm prints an
// "Unsupported engine" warning for each, and the package may use what Node 20 lacks)
describe('installed packages', () => {
  it('should all support the oldest Node the project supports', () => {
    const root = path.resolve(__dirname, '../..');
    const oldest = semver.minVersion(
      (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { engines: { node: string } }).engines
        .node,
    )!.version;
    const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
    };
    const unsupported = Object.entries(lock.packages)
      .filter(([, info]) => {
        const wanted = Array.isArray(info.engines) ? undefined : info.engines?.node;
        return wanted !== undefined && !semver.satisfies(oldest, wanted);
      })
      .map(([name, info]) => `${name}@${info.version} wants node ${(info.engines as { node: string }).node}`);
    expect(unsupported).toEqual([]);
  });
});
