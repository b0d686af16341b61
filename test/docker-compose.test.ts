import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

// docker-compose.yml runs the gateway on a developer's machine, where anything published on
// every interface is open to the network the machine is on: the simulator's admin API (which
// rewrites Kaarai's behaviour), Prometheus, the worker's /metrics and the API with its public
// key. No Docker engine runs here, so the file itself is checked.

interface ComposeService {
  readonly ports?: readonly (string | { readonly host_ip?: string; readonly published?: string | number })[];
  readonly environment?: Readonly<Record<string, string>>;
}

const compose = parse(readFileSync(join(__dirname, '..', 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, ComposeService>;
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
