import fs from 'node:fs';
import path from 'node:path';

// The Jenkinsfile and .ci/run call the same npm scripts, so the two cannot drift apart.
const ROOT = path.resolve(__dirname, '../..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const scripts = JSON.parse(read('package.json')).scripts as Record<string, string>;
const jenkinsfile = read('Jenkinsfile');
const ciRun = read('.ci/run');

const shSteps = [...jenkinsfile.matchAll(/\bsh\s+'([^']*)'/g)].map((m) => m[1]);
// npm scripts a command runs, following `npm run x` / `npm test` into package.json
function npmScripts(command: string): string[] {
  const direct = [...command.matchAll(/\bnpm (?:run (\S+)|(test)\b)/g)].map((m) => m[1] ?? m[2]);
  return direct.flatMap((name) => [
    name,
    ...(scripts[name] && !scripts[name].includes('-w ') ? npmScripts(scripts[name]) : []),
  ]);
}

describe('Jenkinsfile', () => {
  it('should run every shell step through npm or a script in .ci/ that exists', () => {
    expect(shSteps.length).toBeGreaterThanOrEqual(10);
    // Only the checked form: single-quoted sh steps (no sh "..." or sh(script: ...) that would escape this test)
    expect(jenkinsfile).not.toMatch(/\bsh\s*\(|\bsh\s+"|\bsh\s+'''/);
    for (const step of shSteps) {
      if (step.startsWith('npm ci')) continue;
      const npmRun = /^npm run (\S+)$/.exec(step);
      if (npmRun) {
        expect([step, npmRun[1] in scripts]).toEqual([step, true]);
        continue;
      }
      const file = step.split(' ')[0];
      expect([step, file.startsWith('.ci/')]).toEqual([step, true]);
      const stat = fs.statSync(path.join(ROOT, file));
      expect([step, (stat.mode & 0o111) !== 0]).toEqual([step, true]);
    }
  });

  it('should run everything .ci/run runs: install, lint, type-check, build and both test suites', () => {
    const jenkins = new Set(shSteps.flatMap(npmScripts));
    const ci = ciRun
      .split('\n')
      .filter((l) => !l.trim().startsWith('#'))
      .flatMap(npmScripts);
    expect(ci).toEqual(expect.arrayContaining(['lint', 'typecheck', 'test', 'build', 'test:unit', 'test:e2e']));
    for (const name of ci.filter((n) => n !== 'test')) expect([name, jenkins.has(name)]).toEqual([name, true]);
    expect(ciRun).toContain('npm ci --no-audit --no-fund');
    expect(shSteps).toContain('npm ci --no-audit --no-fund');
  });

  it("should test against a PostgreSQL service container, archive jest's JUnit XML, build, push, migrate and deploy", () => {
    expect(jenkinsfile).toMatch(
      /docker\.image\('postgres:\d+'\)\.withRun\('-e POSTGRES_HOST_AUTH_METHOD=trust -p 127\.0\.0\.1:(\d+):5432'\)/,
    );
    const port = /-p 127\.0\.0\.1:(\d+):5432/.exec(jenkinsfile)![1];
    expect(jenkinsfile).toContain(`TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:${port}/postgres'`);
    expect(read('api/test/harness/databases.ts')).toContain('process.env.TEST_DATABASE_URL');
    // The JUnit path is where jest-junit writes
    const jest = require(path.join(ROOT, 'jest.config.js')) as {
      reporters: Array<string | [string, { outputDirectory: string }]>;
    };
    const junit = jest.reporters.find((r) => Array.isArray(r) && r[0] === 'jest-junit') as [
      string,
      { outputDirectory: string },
    ];
    expect(jenkinsfile).toContain(`junit testResults: '${junit[1].outputDirectory}/*.xml'`);
    for (const step of ['.ci/images build', '.ci/images push', 'npm run migrate', '.ci/deploy'])
      expect(shSteps).toContain(step);
    expect(scripts.migrate).toBe('node api/dist/db/migrate.js');
    expect(fs.existsSync(path.join(ROOT, 'api/src/db/migrate.ts'))).toBe(true);
    // Credentials only through Jenkins' store
    expect(jenkinsfile).toMatch(/usernamePassword\(credentialsId: 'algodatta-registry'/);
    expect(jenkinsfile).toMatch(/choice\(name: 'DEPLOY_TARGET'/);
    expect(read('.ci/images')).toContain('--password-stdin');
  });
});
