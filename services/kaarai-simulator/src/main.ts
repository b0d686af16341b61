import { ConfigError, loadConfig, type SimulatorConfig, simulatorConfigSchema } from '@sms/config';
import pino, { type Logger } from 'pino';
import { type CertificateFiles, loadOrCreateCertificate, readCertificateFiles } from './certificate-files';
import { createSimulator } from './create-simulator';

async function main(): Promise<void> {
  let config: SimulatorConfig;
  try {
    config = loadConfig(simulatorConfigSchema);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`kaarai-simulator: ${error.message}\n`);
    process.exit(1);
  }
  const logger = pino({ level: config.KAARAI_SIM_LOG_LEVEL, base: { service: 'kaarai-simulator' } });
  const tls = await loadTls(config);

  const simulator = createSimulator({
    host: config.KAARAI_SIM_HOST,
    port: config.KAARAI_SIM_PORT,
    adminPort: config.KAARAI_SIM_ADMIN_PORT,
    // The configuration allows a certificate only with KAARAI_SIM_HTTPS_PORT set.
    https: tls && { port: config.KAARAI_SIM_HTTPS_PORT ?? 0, cert: tls.cert, key: tls.key },
    sendPath: config.KAARAI_SIM_PATH,
    recordLimit: config.KAARAI_SIM_RECORD_LIMIT,
    settings: {
      user: config.KAARAI_SIM_USER,
      password: config.KAARAI_SIM_PASSWORD,
      blockedPrefixes: config.KAARAI_SIM_BLOCKED_PREFIXES,
      queuedShare: config.KAARAI_SIM_QUEUED_SHARE,
      bodyStyle: config.KAARAI_SIM_BODY_STYLE,
    },
    faults: {
      failureRate: config.KAARAI_SIM_FAILURE_RATE,
      latencyMs: config.KAARAI_SIM_LATENCY_MS,
      hangRate: config.KAARAI_SIM_HANG_RATE,
      dropRate: config.KAARAI_SIM_DROP_RATE,
    },
    logger,
  });
  const address = await simulator.listen();

  // Always written, whatever the log level: a parent process that started the simulator on
  // port 0 learns the ports from this line.
  logger.child({}, { level: 'info' }).info(
    {
      httpPort: address.httpPort,
      httpsPort: address.httpsPort,
      adminPort: address.adminPort,
      sendUrl: address.sendUrl,
      httpsSendUrl: address.httpsSendUrl,
      adminUrl: address.adminUrl,
      certFile: tls?.certFile,
      // A certificate made in KAARAI_SIM_TLS_DIR is self-signed: clients trust it as their CA.
      caFile: config.KAARAI_SIM_TLS_DIR === undefined ? undefined : tls?.certFile,
    },
    'listening',
  );
  closeOnSignals(logger, () => simulator.close());
}

function loadTls(config: SimulatorConfig): Promise<CertificateFiles> | undefined {
  const {
    KAARAI_SIM_TLS_CERT_FILE: certFile,
    KAARAI_SIM_TLS_KEY_FILE: keyFile,
    KAARAI_SIM_TLS_DIR: dir,
  } = config;
  if (certFile !== undefined && keyFile !== undefined)
    return Promise.resolve(readCertificateFiles(certFile, keyFile));
  if (dir !== undefined) return loadOrCreateCertificate(dir, config.KAARAI_SIM_TLS_HOSTS);
  return undefined;
}

function closeOnSignals(logger: Logger, close: () => Promise<void>): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      logger.warn({ signal }, 'second signal while closing; exiting now');
      process.exit(1);
    }
    closing = true;
    logger.info({ signal }, 'closing');
    close().then(
      () => logger.info('closed'),
      (error: unknown) => {
        logger.error({ err: error }, 'close failed');
        process.exitCode = 1;
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `kaarai-simulator: ${error instanceof Error ? (error.stack ?? error.message) : error}\n`,
  );
  process.exit(1);
});
