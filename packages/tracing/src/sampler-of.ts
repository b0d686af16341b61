import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  type Sampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace';
import type { TracesSampler } from '@sms/config';

const SAMPLERS = {
  always_on: () => new AlwaysOnSampler(),
  always_off: () => new AlwaysOffSampler(),
  traceidratio: (ratio) => new TraceIdRatioBasedSampler(ratio),
  parentbased_always_on: () => new ParentBasedSampler({ root: new AlwaysOnSampler() }),
  parentbased_always_off: () => new ParentBasedSampler({ root: new AlwaysOffSampler() }),
  parentbased_traceidratio: (ratio) => new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) }),
} as const satisfies Record<TracesSampler, (ratio: number) => Sampler>;

/**
 * The sampler OTEL_TRACES_SAMPLER names, `ratio` (OTEL_TRACES_SAMPLER_ARG) the share of traces
 * kept by the `traceidratio` ones. The worker's spans follow the decision the API made, which the
 * job's `traceparent` carries, under every `parentbased_*` sampler.
 */
export function samplerOf(name: TracesSampler, ratio: number): Sampler {
  return SAMPLERS[name](ratio);
}
