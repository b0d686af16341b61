import { z } from 'zod';
import { type ConfigProblem, envSchema } from './env-schema';
import { envInt, envList, envNumber, envPort } from './env-types';

const share = () => envNumber(0, 1);

/** The shapes the simulator can give its answer bodies, so a client's parser can be tested on each. */
export const SIMULATOR_BODY_STYLES = ['json', 'text', 'empty'] as const;
export type SimulatorBodyStyle = (typeof SIMULATOR_BODY_STYLES)[number];

export const SIMULATOR_LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Environment of the Kaarai simulator (`services/kaarai-simulator`). The fault settings here are
 * the values at start; the admin API changes them at run time.
 */
export const simulatorConfigSchema = envSchema(
  {
    KAARAI_SIM_HOST: z
      .string()
      .default('127.0.0.1')
      .describe('Address the HTTP, HTTPS and admin servers listen on. Default 127.0.0.1.'),
    KAARAI_SIM_PORT: envPort(8090).describe(
      'Port of the plain-HTTP send endpoint; 0 picks a free port. Default 8090.',
    ),
    KAARAI_SIM_HTTPS_PORT: envInt(0, 65_535)
      .optional()
      .describe('Port of the HTTPS send endpoint; 0 picks a free port. Default none (no HTTPS).'),
    KAARAI_SIM_ADMIN_PORT: envPort(8091).describe(
      'Port of the admin API (record, stats, faults, settings); 0 picks a free port. Default 8091.',
    ),
    KAARAI_SIM_PATH: z
      .string()
      .startsWith('/', { error: 'must start with /' })
      .default('/api/v1/sms/send')
      .describe('Path of the send endpoint. Default /api/v1/sms/send.'),
    KAARAI_SIM_USER: z
      .string()
      .regex(/^[^:]+$/, { error: 'must be non-empty and without a colon' })
      .default('gateway')
      .describe('Basic-auth user the simulator accepts. Default gateway.'),
    KAARAI_SIM_PASSWORD: z
      .string()
      .default('secret')
      .describe('Basic-auth password the simulator accepts; or KAARAI_SIM_PASSWORD_FILE. Default secret.'),
    KAARAI_SIM_BLOCKED_PREFIXES: envList()
      .pipe(z.array(z.string().regex(/^[0-9]+$/, { error: 'items must be digits' })))
      .default([])
      .describe('Comma-separated number prefixes answered 4031 (not routable). Default none.'),
    KAARAI_SIM_QUEUED_SHARE: share()
      .default(0)
      .describe('Share (0..1) of accepted messages answered 2021 (queued) instead of 2020. Default 0.'),
    KAARAI_SIM_BODY_STYLE: z
      .enum(SIMULATOR_BODY_STYLES, { error: 'must be json, text or empty' })
      .default('json')
      .describe('Answer body: json ({"code","message"}), text ("Code N: message") or empty. Default json.'),
    KAARAI_SIM_FAILURE_RATE: share()
      .default(0)
      .describe('Share (0..1) of send requests answered 503 with code 5030. Default 0.'),
    KAARAI_SIM_LATENCY_MS: envInt(0, 600_000)
      .default(0)
      .describe('Delay added before every answer on the send path, in ms. Default 0.'),
    KAARAI_SIM_HANG_RATE: share()
      .default(0)
      .describe('Share (0..1) of send requests read and never answered. Default 0.'),
    KAARAI_SIM_DROP_RATE: share()
      .default(0)
      .describe('Share (0..1) of send requests whose connection is reset without an answer. Default 0.'),
    KAARAI_SIM_RECORD_LIMIT: envInt(1, 10_000_000)
      .default(1_000_000)
      .describe(
        'Accepted messages kept in memory for the admin API, oldest forgotten first. Default 1000000.',
      ),
    KAARAI_SIM_TLS_DIR: z
      .string()
      .optional()
      .describe(
        'Directory where cert.pem and key.pem for HTTPS are created or reused; cert.pem is also the CA. Default none.',
      ),
    KAARAI_SIM_TLS_HOSTS: envList()
      .pipe(
        z.array(z.string().regex(/^[A-Za-z0-9.:-]+$/, { error: 'items must be host names or IP addresses' })),
      )
      .default([])
      .describe(
        'More names for the certificate made in KAARAI_SIM_TLS_DIR: comma-separated hosts or IPs (localhost, 127.0.0.1, ::1 always). Default none.',
      ),
    KAARAI_SIM_TLS_CERT_FILE: z
      .string()
      .optional()
      .describe(
        'PEM certificate file for HTTPS, instead of KAARAI_SIM_TLS_DIR; with KAARAI_SIM_TLS_KEY_FILE. Default none.',
      ),
    KAARAI_SIM_TLS_KEY_FILE: z
      .string()
      .optional()
      .describe('PEM private key file for HTTPS, with KAARAI_SIM_TLS_CERT_FILE. Default none.'),
    KAARAI_SIM_LOG_LEVEL: z
      .enum(SIMULATOR_LOG_LEVELS, { error: `must be one of ${SIMULATOR_LOG_LEVELS.join(', ')}` })
      .default('info')
      .describe(
        'Log level: fatal, error, warn, info, debug, trace or silent; requests are logged at debug. Default info.',
      ),
  },
  tlsProblems,
);

/** The TLS variables make sense only in some combinations; each rule names the variable to fix. */
function tlsProblems(config: {
  KAARAI_SIM_HTTPS_PORT?: number | undefined;
  KAARAI_SIM_TLS_DIR?: string | undefined;
  KAARAI_SIM_TLS_HOSTS: string[];
  KAARAI_SIM_TLS_CERT_FILE?: string | undefined;
  KAARAI_SIM_TLS_KEY_FILE?: string | undefined;
}): ConfigProblem[] {
  const httpsPort = config.KAARAI_SIM_HTTPS_PORT !== undefined;
  const dir = config.KAARAI_SIM_TLS_DIR !== undefined;
  const certFile = config.KAARAI_SIM_TLS_CERT_FILE !== undefined;
  const keyFile = config.KAARAI_SIM_TLS_KEY_FILE !== undefined;
  const rules: [broken: boolean, key: string, message: string][] = [
    [certFile && !keyFile, 'KAARAI_SIM_TLS_KEY_FILE', 'is required with KAARAI_SIM_TLS_CERT_FILE'],
    [keyFile && !certFile, 'KAARAI_SIM_TLS_CERT_FILE', 'is required with KAARAI_SIM_TLS_KEY_FILE'],
    [
      dir && (certFile || keyFile),
      'KAARAI_SIM_TLS_DIR',
      'set either it or the certificate and key files, not both',
    ],
    [
      httpsPort && !dir && !certFile,
      'KAARAI_SIM_HTTPS_PORT',
      'needs KAARAI_SIM_TLS_DIR or a certificate and key file',
    ],
    [
      !httpsPort && (dir || certFile || keyFile),
      'KAARAI_SIM_HTTPS_PORT',
      'is required when TLS is configured',
    ],
    [
      config.KAARAI_SIM_TLS_HOSTS.length > 0 && !dir,
      'KAARAI_SIM_TLS_HOSTS',
      'applies only with KAARAI_SIM_TLS_DIR',
    ],
  ];
  return rules.filter(([broken]) => broken).map(([, key, message]) => [key, message]);
}

export type SimulatorConfig = z.infer<typeof simulatorConfigSchema>;
