import { vectorSelectors } from './promql-selectors';

describe('vectorSelectors', () => {
  it('finds the selectors of an aggregated ratio, with their matchers', () => {
    const expr =
      'sum(rate(sms_provider_answers_total{outcome!="success", code!~"4001|4031"}[5m])) / sum(rate(sms_provider_answers_total[5m])) > 0.1';
    expect(vectorSelectors(expr)).toEqual([
      {
        metric: 'sms_provider_answers_total',
        matchers: [
          { label: 'outcome', op: '!=', value: 'success' },
          { label: 'code', op: '!~', value: '4001|4031' },
        ],
      },
      { metric: 'sms_provider_answers_total', matchers: [] },
    ]);
  });

  it('skips label lists, function names, durations, offsets and numbers', () => {
    const expr =
      'histogram_quantile(0.99, sum by (route, le) (rate(sms_api_request_duration_seconds_bucket{instance=~".*"}[1m] offset 5m)))';
    expect(vectorSelectors(expr)).toEqual([
      {
        metric: 'sms_api_request_duration_seconds_bucket',
        matchers: [{ label: 'instance', op: '=~', value: '.*' }],
      },
    ]);
  });

  it('reads selectors on both sides of and on () and inside absent', () => {
    const expr =
      'max(sms_queue_jobs{job="sms-api",queue="sms",state="waiting"}) > 0 and on () absent(up{job="sms-worker"} == 1)';
    expect(vectorSelectors(expr).map((s) => s.metric)).toEqual(['sms_queue_jobs', 'up']);
    expect(vectorSelectors(expr)[1]!.matchers).toEqual([{ label: 'job', op: '=', value: 'sms-worker' }]);
  });

  it('ignores names inside strings and aggregations written with the clause after', () => {
    const expr = 'sum(rate(a_total{x="rate(b_total)"}[5m])) without (pod) or vector(0)';
    expect(vectorSelectors(expr).map((s) => s.metric)).toEqual(['a_total']);
  });
});
