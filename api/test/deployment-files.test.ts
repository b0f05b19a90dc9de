import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { envSchema } from '../src/config/env.schema';
import { COMPOSE_SETTINGS, WEB_SETTINGS } from '../src/config/env-example';
import { shippedPluginSettings } from '../src/modules/brokers/plugin-settings';
import { registry } from '../src/metrics/metrics';

// No Docker engine runs here: the Dockerfile, docker-compose.yml and the files they mount are read as text and
// checked against what the code really uses (settings, ports, health routes, build output, metric names).
const ROOT = path.resolve(__dirname, '../..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

type Instruction = { op: string; args: string };
type Stage = { name: string; from: string; steps: Instruction[] };

function dockerStages(text: string): Stage[] {
  const lines = text
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, op, args] = /^(\S+)\s+(.*)$/.exec(line) ?? [];
    if (op.toUpperCase() === 'FROM') {
      const [, from, name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args) ?? [];
      stages.push({ name, from, steps: [] });
    } else if (stages.length) {
      stages[stages.length - 1].steps.push({ op: op.toUpperCase(), args });
    }
  }
  return stages;
}

const dockerfile = dockerStages(read('Dockerfile'));
const stage = (name: string) => dockerfile.find((s) => s.name === name)!;
const lineage = (name: string): Stage[] => {
  const s = stage(name);
  return s ? [s, ...lineage(s.from)] : [];
};
const stepsOf = (name: string, op: string) => lineage(name).flatMap((s) => s.steps.filter((i) => i.op === op));
const compose = parse(read('docker-compose.yml')) as {
  services: Record<string, any>;
  volumes: Record<string, unknown>;
};
const service = (name: string) => compose.services[name];
// ${NAME:-default} / ${NAME:?message} / ${NAME}: the default, or undefined when there is none
const composeDefault = (value: string) => /^\$\{[A-Z_]+:-([^}]*)\}$/.exec(value)?.[1];
const settingDefault = (key: keyof typeof envSchema) => String(envSchema[key].schema.safeParse(undefined).data);

describe('Dockerfile', () => {
  it('should build the api and web images in stages: npm ci and the build in one, production dependencies only in the images', () => {
    expect(stage('build').steps.map((s) => s.args)).toEqual(
      expect.arrayContaining(['npm ci --no-audit --no-fund', 'npm run build']),
    );
    expect(stage('prod-deps').steps.map((s) => s.args)).toContain(
      'npm ci --omit=dev --no-audit --no-fund && npm cache clean --force',
    );
    for (const target of ['api', 'web']) {
      // The image's stages never ran npm ci with dev dependencies; node_modules comes from prod-deps only
      const chain = lineage(target).map((s) => s.name);
      expect(chain).not.toContain('build');
      expect(stepsOf(target, 'RUN').some((r) => /npm (ci|install)/.test(r.args))).toBe(false);
      const modules = stepsOf(target, 'COPY').filter((c) => /node_modules/.test(c.args));
      expect(modules.map((c) => /--from=(\S+)/.exec(c.args)?.[1])).toEqual(['prod-deps']);
    }
  });

  it('should run both images as the unprivileged node user', () => {
    for (const target of ['api', 'web']) {
      const users = stepsOf(target, 'USER');
      expect(users[0]?.args).toBe('node');
      expect(
        stepsOf(target, 'COPY')
          .filter((c) => c.args.includes('--from='))
          .every((c) => c.args.includes('--chown=node:node')),
      ).toBe(true);
    }
  });

  it('should expose the default ports and check health on /readyz and the web root', () => {
    expect(stepsOf('api', 'EXPOSE')[0].args).toBe(settingDefault('PORT'));
    expect(stepsOf('web', 'EXPOSE')[0].args).toBe(settingDefault('WEB_PORT'));
    expect(stepsOf('api', 'HEALTHCHECK')[0].args).toMatch(/process\.env\.PORT\|\|4000\)\+'\/readyz'/);
    expect(read('api/src/rest/health.routes.ts')).toContain("router.get('/readyz'");
    expect(stepsOf('web', 'HEALTHCHECK')[0].args).toMatch(/process\.env\.WEB_PORT\|\|3000\)\+'\/'/);
  });

  it('should start what the build produces, from files that exist', () => {
    expect(stepsOf('api', 'CMD')[0].args).toBe('["node", "api/dist/main.js"]');
    expect(fs.existsSync(path.join(ROOT, 'api/src/main.ts'))).toBe(true);
    expect(JSON.parse(read('api/tsconfig.json')).compilerOptions).toMatchObject({ outDir: 'dist', rootDir: 'src' });
    expect(stepsOf('web', 'CMD')[0].args).toBe('["node", "web/server/start.js"]');
    expect(read('web/server/start.js')).toContain('build/server/index.js');
    // Sources copied from the context exist; the build output copied into the images is what the build makes
    for (const s of dockerfile) {
      for (const copy of s.steps.filter((i) => i.op === 'COPY' && !i.args.includes('--from='))) {
        const sources = copy.args
          .split(/\s+/)
          .filter((a) => !a.startsWith('--'))
          .slice(0, -1);
        for (const source of sources.filter((x) => x !== '.'))
          expect([source, fs.existsSync(path.join(ROOT, source))]).toEqual([source, true]);
      }
    }
    const built = dockerfile
      .flatMap((s) => s.steps)
      .filter((i) => i.op === 'COPY' && i.args.includes('--from=build'))
      .map((i) => i.args.split(/\s+/).at(-2)!);
    expect(built).toEqual(
      expect.arrayContaining([
        '/app/api/dist',
        '/app/web/build',
        '/app/plugins/broker-paper/dist',
        '/app/plugins/broker-dhan/dist',
        '/app/plugins/broker-sdk/dist',
      ]),
    );
    // Every workspace's package.json reaches npm ci
    const workspaces = JSON.parse(read('package.json')).workspaces as string[];
    const manifests = stage('manifests')
      .steps.filter((i) => i.op === 'COPY')
      .map((i) => i.args.split(/\s+/)[0]);
    for (const w of workspaces) expect(manifests).toContain(`${w}/package.json`);
  });

  it('should use the Node major the project supports, and keep secrets and build output out of the context', () => {
    expect(read('Dockerfile')).toMatch(/ARG NODE_IMAGE=node:20\.\d+-bookworm-slim/);
    expect(JSON.parse(read('package.json')).engines.node).toBe('>=20.19');
    const ignored = read('.dockerignore').split('\n');
    for (const entry of ['**/node_modules', '**/dist', 'web/build', '.data', '.env', '.git'])
      expect(ignored).toContain(entry);
  });
});

describe('docker-compose.yml', () => {
  const apiEnv = service('api').environment as Record<string, string>;
  const webEnv = service('web').environment as Record<string, string>;

  it('should run the api, the dashboard and PostgreSQL, with pgAdmin, MongoDB and monitoring behind profiles', () => {
    expect(Object.keys(compose.services).sort()).toEqual([
      'api',
      'grafana',
      'mongo',
      'pgadmin',
      'postgres',
      'prometheus',
      'web',
    ]);
    for (const name of ['api', 'web', 'postgres']) expect(service(name).profiles).toBeUndefined();
    expect(service('pgadmin').profiles).toEqual(['tools']);
    expect(service('mongo').profiles).toEqual(['mongo']);
    expect(service('prometheus').profiles).toEqual(['monitoring']);
    expect(service('grafana').profiles).toEqual(['monitoring']);
    expect(service('api').build).toEqual({ context: '.', target: 'api' });
    expect(service('web').build).toEqual({ context: '.', target: 'web' });
  });

  it('should pass only settings the api and the dashboard read', () => {
    const webSettings = new Set([...WEB_SETTINGS.map(([k]) => k), 'NODE_ENV', 'WEB_PORT']);
    // The api's own settings, and the shipped broker plugins' (BROKER_<NAME>_<OPTION>, from their options schemas)
    const pluginSettings = new Set(shippedPluginSettings().flatMap((p) => p.settings.map((s) => s.env)));
    for (const key of Object.keys(apiEnv))
      expect([key, key in envSchema || pluginSettings.has(key)]).toEqual([key, true]);
    // A setting shared by both servers (DASHBOARD_FORWARD_SECRET) is in the api's schema and read by the dashboard
    const webSource = read('web/server/environment.js') + read('web/app/lib/client-address.server.ts');
    const readByWeb = (key: string) =>
      webSettings.has(key) || (key in envSchema && webSource.includes(`process.env.${key}`));
    for (const key of Object.keys(webEnv)) expect([key, readByWeb(key)]).toEqual([key, true]);
    for (const key of ['API_URL', 'API_WS_URL', 'SESSION_SECRET'])
      expect(read('web/app/lib/config.server.ts') + read('web/app/lib/session.server.ts')).toContain(
        `process.env.${key}`,
      );
  });

  it('should list every variable it reads in .env.example', () => {
    const example = read('.env.example');
    const used = new Set([...read('docker-compose.yml').matchAll(/\$\{([A-Z_]+)/g)].map((m) => m[1]));
    for (const name of used) expect([name, new RegExp(`^#?\\s*${name}=`, 'm').test(example)]).toEqual([name, true]);
    expect(COMPOSE_SETTINGS.map(([k]) => k).every((k) => used.has(k))).toBe(true);
  });

  it('should have no working default for any secret, and run the api in production mode', () => {
    const required = {
      api: ['SECRET_KEY', 'ENCRYPTION_KEY', 'SEED_ADMIN_PASSWORD'],
      web: ['SESSION_SECRET'],
      postgres: ['POSTGRES_PASSWORD'],
      pgadmin: ['PGADMIN_DEFAULT_PASSWORD'],
      grafana: ['GF_SECURITY_ADMIN_PASSWORD'],
    };
    for (const [name, keys] of Object.entries(required)) {
      for (const key of keys)
        expect([name, key, service(name).environment[key]]).toEqual([
          name,
          key,
          expect.stringMatching(/^\$\{[A-Z_]+:\?[^}]+\}$/),
        ]);
    }
    // Other sensitive settings: no default that carries credentials
    const sensitive = Object.entries(envSchema)
      .filter(([, spec]) => (spec as { sensitive?: boolean }).sensitive)
      .map(([key]) => key);
    for (const key of sensitive.filter((k) => k in apiEnv)) {
      for (const m of apiEnv[key].matchAll(/\$\{[A-Z_]+:-([^}]*)\}/g))
        expect([key, m[1]]).not.toEqual([key, expect.stringMatching(/\/\/[^/]*:[^/]*@/)]);
    }
    expect(apiEnv.DATABASE_URL).toContain('${POSTGRES_PASSWORD:?');
    expect(apiEnv.NODE_ENV).toBe('production');
    expect(webEnv.NODE_ENV).toBe('production');
  });

  it('should wire ports, the database and health checks as the code expects them', () => {
    const containerPort = (name: string) => Number(String(service(name).ports[0]).split(':').at(-1));
    expect(containerPort('api')).toBe(Number(apiEnv.PORT));
    expect(containerPort('web')).toBe(Number(webEnv.WEB_PORT));
    expect(webEnv.API_URL).toBe(`http://api:${apiEnv.PORT}/graphql`);
    // PostgreSQL: a named volume, a health check, and the api waiting for it; the URL names its user and database
    expect(service('postgres').volumes).toEqual(['pgdata:/var/lib/postgresql/data']);
    expect(compose.volumes).toHaveProperty('pgdata');
    expect(service('postgres').healthcheck.test.join(' ')).toContain('pg_isready');
    expect(service('api').depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    const pg = service('postgres').environment;
    const url = new URL(
      apiEnv.DATABASE_URL.replace(/\$\{POSTGRES_PASSWORD:\?[^}]+\}/, 'x').replace(/\$\{([A-Z_]+):-([^}]*)\}/g, '$2'),
    );
    expect([url.hostname, url.port, url.username, url.pathname]).toEqual([
      'postgres',
      '5432',
      composeDefault(pg.POSTGRES_USER),
      `/${composeDefault(pg.POSTGRES_DB)}`,
    ]);
    // The dashboard waits for the api's image HEALTHCHECK (/readyz)
    expect(service('web').depends_on).toEqual({ api: { condition: 'service_healthy' } });
    expect(stepsOf('api', 'HEALTHCHECK')).toHaveLength(1);
  });

  it('should register the database in pgAdmin', () => {
    expect(service('pgadmin').volumes).toEqual(['./ops/pgadmin/servers.json:/pgadmin4/servers.json:ro']);
    const servers = JSON.parse(read('ops/pgadmin/servers.json')).Servers;
    const pg = service('postgres').environment;
    expect(Object.values(servers)).toEqual([
      expect.objectContaining({
        Host: 'postgres',
        Port: 5432,
        Username: composeDefault(pg.POSTGRES_USER),
        MaintenanceDB: composeDefault(pg.POSTGRES_DB),
      }),
    ]);
  });

  it('should point the api at the mongo service when JOBS_BACKEND=mongo', () => {
    expect(composeDefault(apiEnv.JOBS_BACKEND)).toBe('postgres');
    expect(envSchema.JOBS_BACKEND.schema.safeParse('mongo').success).toBe(true);
    const mongo = new URL(composeDefault(apiEnv.MONGO_URL)!);
    expect([mongo.protocol, mongo.hostname, mongo.port]).toEqual(['mongodb:', 'mongo', '27017']);
  });

  it("should let Prometheus scrape /metrics on the api's unpublished metrics port, and Grafana load the dashboard", () => {
    expect(apiEnv.METRICS_HOST).toBe('0.0.0.0');
    expect(
      service('api')
        .ports.map(String)
        .some((p: string) => p.endsWith(`:${apiEnv.METRICS_PORT}`)),
    ).toBe(false);
    const prometheus = parse(read('ops/prometheus/prometheus.yml'));
    expect(service('prometheus').volumes).toContain(
      './ops/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro',
    );
    expect(prometheus.scrape_configs[0]).toMatchObject({
      metrics_path: '/metrics',
      static_configs: [{ targets: [`api:${apiEnv.METRICS_PORT}`] }],
    });

    const mounts = Object.fromEntries((service('grafana').volumes as string[]).map((v) => v.split(':').slice(0, 2)));
    expect(mounts['./ops/grafana/provisioning']).toBe('/etc/grafana/provisioning');
    const provider = parse(read('ops/grafana/provisioning/dashboards/algodatta.yml')).providers[0];
    expect(mounts['./ops/grafana/dashboards']).toBe(provider.options.path);
    const datasource = parse(read('ops/grafana/provisioning/datasources/prometheus.yml')).datasources[0];
    expect(datasource).toMatchObject({ type: 'prometheus', url: 'http://prometheus:9090' });
  });

  it('should chart only metrics that /metrics really has', async () => {
    const dashboard = JSON.parse(read('ops/grafana/dashboards/algodatta.json'));
    const known = new Set(
      (await registry.getMetricsAsJSON()).flatMap((m) => [
        m.name,
        `${m.name}_bucket`,
        `${m.name}_count`,
        `${m.name}_sum`,
      ]),
    );
    const charted = new Set<string>();
    for (const panel of dashboard.panels) {
      expect(panel.datasource.uid).toBe('prometheus');
      for (const target of panel.targets)
        for (const m of target.expr.matchAll(/\b(algodatta_[a-z0-9_]+)/g)) charted.add(m[1]);
    }
    for (const name of charted) expect([name, known.has(name)]).toEqual([name, true]);
    // Each metric of issue 17 has a panel
    for (const name of [
      'algodatta_alerts_total',
      'algodatta_executions_total',
      'algodatta_alert_ack_seconds_bucket',
      'algodatta_alert_to_fill_seconds_bucket',
      'algodatta_broker_request_seconds_bucket',
      'algodatta_broker_errors_total',
      'algodatta_executor_queue_depth',
      'algodatta_job_lag_seconds',
      'algodatta_notification_deliveries_total',
    ]) {
      expect(charted).toContain(name);
    }
  });

  it('should mount only files that exist', () => {
    for (const svc of Object.values(compose.services)) {
      for (const volume of (svc.volumes ?? []) as string[]) {
        const source = volume.split(':')[0];
        if (source.startsWith('./')) expect([source, fs.existsSync(path.join(ROOT, source))]).toEqual([source, true]);
      }
    }
  });
});
