/**
 * The settings of the local stack, in one place: ports, credentials and the dev API key. Every
 * value may be overridden from the environment, which is how the quick-start test runs a second
 * stack on free ports.
 */
export interface LocalStack {
  readonly apiPort: number;
  /** The API's internal server: /metrics, /v1/admin, /admin/queues. */
  readonly adminPort: number;
  readonly workerHttpPort: number;
  /** The archiver's /metrics, /health, /ready: only with DATABASE_URL. */
  readonly archiverHttpPort: number;
  readonly simulatorPort: number;
  readonly simulatorHttpsPort: number;
  readonly simulatorAdminPort: number;
  readonly redisPort: number;
  readonly apiKey: string;
  /** The client name of `apiKey`: the user of the Kaarai entry's Basic authentication. */
  readonly client: string;
  readonly dataDir: string;
  /** Where the local client's status callbacks may go: a receiver the user runs on this port. */
  readonly callbackPort: number;
  /** The key the local client's callbacks are signed with. */
  readonly callbackSecret: string;
}

export function localStack(env: NodeJS.ProcessEnv, root: string): LocalStack {
  const port = (name: string, fallback: number) => Number(env[name] ?? fallback);
  return {
    apiPort: port('API_PORT', 8080),
    adminPort: port('ADMIN_PORT', 9101),
    workerHttpPort: port('WORKER_HTTP_PORT', 9100),
    archiverHttpPort: port('ARCHIVER_HTTP_PORT', 9300),
    simulatorPort: port('KAARAI_SIM_PORT', 8090),
    simulatorHttpsPort: port('KAARAI_SIM_HTTPS_PORT', 8443),
    simulatorAdminPort: port('KAARAI_SIM_ADMIN_PORT', 8091),
    redisPort: port('LOCAL_REDIS_PORT', 6380),
    apiKey: env.LOCAL_API_KEY ?? 'local-dev-key-0123456789',
    client: 'local',
    dataDir: env.LOCAL_DATA_DIR ?? `${root}/.local`,
    callbackPort: port('LOCAL_CALLBACK_PORT', 9999),
    callbackSecret: env.LOCAL_CALLBACK_SECRET ?? 'local-callback-secret-0123456789',
  };
}

/** The command a new user copies to send a first SMS through the local stack. */
export function curlSendLine(stack: LocalStack): string {
  return (
    `curl -s -X POST http://localhost:${stack.apiPort}/v1/sms ` +
    `-H 'Authorization: Bearer ${stack.apiKey}' -H 'Content-Type: application/json' ` +
    `-d '{"to":"573001234567","text":"Hello from the SMS gateway"}'`
  );
}

/** The callback settings of the local client, for the API and the worker: plain http to this machine only. */
export function localCallbackEnv(stack: LocalStack): Record<string, string> {
  return {
    CALLBACK_ALLOWED_HOSTS: `${stack.client}=http://localhost:${stack.callbackPort}|http://127.0.0.1:${stack.callbackPort}`,
  };
}

/** The README's callback example: a message whose status changes are posted to a local receiver. */
export function curlCallbackLine(stack: LocalStack): string {
  return (
    `curl -s -X POST http://localhost:${stack.apiPort}/v1/sms ` +
    `-H 'Authorization: Bearer ${stack.apiKey}' -H 'Content-Type: application/json' ` +
    `-d '{"to":"573001234567","text":"Tell me how it went","callbackUrl":"http://localhost:${stack.callbackPort}/sms-status"}'`
  );
}

/** The README's batch example: two messages accepted, one refused for its receiver. */
export function curlBatchLine(stack: LocalStack): string {
  return (
    `curl -s -X POST http://localhost:${stack.apiPort}/v1/sms/batch ` +
    `-H 'Authorization: Bearer ${stack.apiKey}' -H 'Content-Type: application/json' ` +
    `-d '{"messages":[{"to":"573001234567","text":"First of a batch"},{"to":"12","text":"Refused: no country code"},{"to":"573001234568","text":"Second of a batch"}]}'`
  );
}

/** The README's Kaarai entry example: Kaarai's request, with the client's name and key as Basic credentials. */
export function curlKaaraiLine(stack: LocalStack): string {
  return (
    `curl -s -X POST http://localhost:${stack.apiPort}/kaarai/api/v1/sms/send ` +
    `-u '${stack.client}:${stack.apiKey}' -H 'Content-Type: application/json' ` +
    `-d '{"to":"573001234567","from":"85000","text":"Your OTP code is 1234"}'`
  );
}
