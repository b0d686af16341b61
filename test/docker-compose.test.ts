import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

// docker-compose.yml runs the gateway on a developer's machine, where anything published on
// every interface is open to the network the machine is on: the simulator's admin API (which
// rewrites Kaarai's behaviour), Prometheus, the worker's /metrics and the API with its public
// key. No Docker engine runs here, so the file itself is checked.

interface ComposeService {
  readonly image?: string;
  readonly command?: readonly string[];
  readonly restart?: string;
  readonly ports?: readonly (string | { readonly host_ip?: string; readonly published?: string | number })[];
  readonly environment?: Readonly<Record<string, string>>;
  readonly volumes?: readonly string[];
  readonly healthcheck?: { readonly test?: readonly string[] };
  readonly depends_on?: Readonly<Record<string, { readonly condition: string }>> | readonly string[];
}

const ROOT = join(__dirname, '..');
// Merge keys (`<<: *gateway`) resolved, as compose reads them.
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
};
const services = Object.entries(compose.services);

it.each(services)('%s publishes its ports on 127.0.0.1 only', (_name, service) => {
  for (const port of service.ports ?? []) {
    const hostIp = typeof port === 'string' ? port.split(':').slice(0, -2).join(':') : port.host_ip;
    expect([port, hostIp]).toEqual([port, '127.0.0.1']);
  }
});

it('publishes what a developer opens: the API, the simulator’s admin API, Prometheus and Grafana', () => {
  const published = services.filter(([, service]) => (service.ports ?? []).length > 0).map(([name]) => name);
  expect(published).toEqual(expect.arrayContaining(['api', 'simulator', 'prometheus', 'grafana']));
});

it('lets no one into Grafana without logging in, and has no default admin password', () => {
  const env = compose.services.grafana!.environment ?? {};
  expect(env.GF_AUTH_ANONYMOUS_ENABLED ?? 'false').toBe('false');
  // Compose refuses to start until the variable is set: `${NAME:?message}`.
  expect(env.GF_SECURITY_ADMIN_PASSWORD).toMatch(/^\$\{[A-Z_]+:\?[^}]+\}$/);
});

describe('the status history (docs/history.md)', () => {
  const { postgres, migrate, archiver, api, worker } = compose.services;
  const databaseUrl = new URL(archiver!.environment!.DATABASE_URL!);

  it('keeps PostgreSQL in a named volume, reports its health with pg_isready, and publishes nothing', () => {
    expect(postgres!.image).toMatch(/^postgres:1[56](-|$)/);
    const [volume, path] = (postgres!.volumes ?? [])[0]!.split(':');
    expect(Object.keys(compose.volumes)).toContain(volume);
    expect(path).toBe('/var/lib/postgresql/data');
    expect(postgres!.healthcheck?.test?.slice(0, 2)).toEqual(['CMD', 'pg_isready']);
    expect(postgres!.ports).toBeUndefined();
  });

  it('migrates once, after PostgreSQL is healthy, and starts the archiver and the API on the migrated schema', () => {
    expect(migrate!.command).toEqual(['node', 'archiver/dist/migrate-main.js']);
    // A one-shot: restarting it would keep its dependants waiting for a completion.
    expect(migrate!.restart).toBe('no');
    expect(migrate!.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(archiver!.command).toEqual(['node', 'archiver/dist/main.js']);
    for (const service of [archiver!, api!]) {
      expect(service.depends_on).toEqual(
        expect.objectContaining({
          redis: { condition: 'service_healthy' },
          migrate: { condition: 'service_completed_successfully' },
        }),
      );
    }
  });

  it('gives the migration, the archiver and the API one DATABASE_URL, on the postgres service, and the worker none', () => {
    expect([databaseUrl.hostname, databaseUrl.username]).toEqual([
      'postgres',
      postgres!.environment!.POSTGRES_USER,
    ]);
    expect(databaseUrl.password).toBe(postgres!.environment!.POSTGRES_PASSWORD);
    expect(databaseUrl.pathname).toBe(`/${postgres!.environment!.POSTGRES_DB}`);
    expect(migrate!.environment!.DATABASE_URL).toBe(databaseUrl.href);
    expect(api!.environment!.DATABASE_URL).toBe(databaseUrl.href);
    expect(worker!.environment!.DATABASE_URL).toBeUndefined();
  });

  it('has Prometheus scrape the archiver on the port it publishes', () => {
    const prometheus = readFileSync(join(ROOT, 'deploy', 'prometheus', 'prometheus.yml'), 'utf8');
    expect(prometheus).toContain(
      '- job_name: sms-archiver\n    static_configs:\n      - targets: ["archiver:9300"]',
    );
    expect(archiver!.ports).toEqual(['127.0.0.1:9300:9300']);
  });
});

it.each(services.filter(([, service]) => service.image === 'sms-gateway:local'))(
  '%s runs a program the gateway image holds',
  (_name, service) => {
    const [node, main] = service.command ?? [];
    const folder = /^([a-z-]+)\/dist\/[a-z-]+\.js$/.exec(main ?? '')?.[1];
    expect(node).toBe('node');
    expect(readFileSync(join(ROOT, 'deploy', 'Dockerfile'), 'utf8')).toContain(
      `COPY --from=build /out/${folder} ${folder}\n`,
    );
  },
);
