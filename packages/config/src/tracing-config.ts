import { z } from 'zod';

/** The samplers OTEL_TRACES_SAMPLER may name, as OpenTelemetry's specification names them. */
export const TRACES_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

export type TracesSampler = (typeof TRACES_SAMPLERS)[number];

import { envIntOr, envNumber, envUrl } from './env-types';

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
  OTEL_TRACES_SAMPLER: z
    .enum(TRACES_SAMPLERS)
    .default('parentbased_always_on')
    .describe(
      "Which traces are kept, as OpenTelemetry names its samplers: always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off or parentbased_traceidratio (a caller's traceparent decides for its requests; the worker follows the API's decision through the job). Default parentbased_always_on.",
    ),
  OTEL_TRACES_SAMPLER_ARG: envNumber(0, 1)
    .default(1)
    .describe('With a traceidratio sampler: the share of traces kept, from 0 to 1. Default 1.'),
};
