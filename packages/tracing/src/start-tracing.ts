import { type Tracer, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { TracesSampler } from '@sms/config';
import { samplerOf } from './sampler-of';

/** A service's tracer, and how to send what is still buffered when the process stops. */
export interface Tracing {
  /** False when no OTLP endpoint is set: `tracer` is then the API's no-op tracer. */
  readonly enabled: boolean;
  readonly tracer: Tracer;
  /** Exports the spans still buffered; resolves at once when tracing is off. */
  shutdown(): Promise<void>;
}

/** What `startTracing` reads of a service's configuration (`tracingConfigShape` of `@sms/config`). */
export interface TracingSettings {
  /** OTEL_EXPORTER_OTLP_ENDPOINT: without it, nothing is started. */
  readonly OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined;
  /** OTEL_SERVICE_NAME: the spans' service.name instead of the service's own name. */
  readonly OTEL_SERVICE_NAME?: string | undefined;
  /** OTEL_BSP_SCHEDULE_DELAY: how long finished spans wait to be exported together, in ms. */
  readonly OTEL_BSP_SCHEDULE_DELAY: number;
  /** OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG: which traces are kept. @defaultValue every one */
  readonly OTEL_TRACES_SAMPLER?: TracesSampler;
  readonly OTEL_TRACES_SAMPLER_ARG?: number;
}

// Without a provider registered, the API hands out its no-op tracer. Nothing is ever registered
// globally, so that no library's own instrumentation turns on behind the gateway's back.
const NOOP_TRACING: Tracing = {
  enabled: false,
  tracer: trace.getTracer('sms-gateway'),
  shutdown: async () => {},
};

/**
 * Starts exporting spans over OTLP/HTTP (JSON) when OTEL_EXPORTER_OTLP_ENDPOINT is set, as
 * `serviceName` unless OTEL_SERVICE_NAME says otherwise; without it, starts nothing, and the
 * services then take no tracer at all. The exporter reads the endpoint and the other standard
 * OTEL_EXPORTER_OTLP_* variables (headers, timeout, compression, certificates, the per-signal
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) from the environment itself. Manual spans only: the SDK's
 * all-in-one package would also patch http, express and ioredis on every request.
 */
export function startTracing(serviceName: string, settings: TracingSettings): Tracing {
  if (!settings.OTEL_EXPORTER_OTLP_ENDPOINT) return NOOP_TRACING;
  const resource = defaultResource().merge(
    resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.OTEL_SERVICE_NAME ?? serviceName }),
  );
  const processor = new BatchSpanProcessor({
    exporter: new OTLPTraceExporter(),
    scheduledDelayMillis: settings.OTEL_BSP_SCHEDULE_DELAY,
  });
  const sampler = samplerOf(
    settings.OTEL_TRACES_SAMPLER ?? 'parentbased_always_on',
    settings.OTEL_TRACES_SAMPLER_ARG ?? 1,
  );
  const provider = new TracerProvider({ resource, sampler, spanProcessors: [processor] });
  return {
    enabled: true,
    tracer: provider.getTracer('sms-gateway'),
    shutdown: () => provider.shutdown(),
  };
}
