import { z } from 'zod';
import { envIntOr, envUrl } from './env-types';

/**
 * The OpenTelemetry variables the API and the worker read themselves (`startTracing` of
 * `@sms/tracing`): tracing is on only with an endpoint. The exporter reads the other standard
 * OTEL_EXPORTER_OTLP_* variables (headers, timeout, compression, certificates) on its own.
 */
export const tracingConfigShape = {
  OTEL_EXPORTER_OTLP_ENDPOINT: envUrl()
    .optional()
    .describe(
      'Where to export traces over OTLP/HTTP (JSON), e.g. http://otel-collector:4318; spans are posted to {endpoint}/v1/traces. Unset: no tracing at all (no SDK started). Default none.',
    ),
  OTEL_SERVICE_NAME: z
    .string()
    .min(1)
    .optional()
    .describe(
      'The service.name of the exported spans. Default sms-api for the API, sms-worker for the worker.',
    ),
  OTEL_BSP_SCHEDULE_DELAY: envIntOr(1, 600_000, 5_000).describe(
    'With OTEL_EXPORTER_OTLP_ENDPOINT: how long finished spans wait to be exported together, in ms. Default 5000.',
  ),
};
