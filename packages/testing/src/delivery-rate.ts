/**
 * Messages per second over the deliveries at `times` (ms, sorted) that `include` keeps, as the
 * slope of a least-squares line through (time, deliveries so far): a limiter that lets each
 * second's quota through in a burst still gives the true rate. Each kept point keeps its rank
 * among all deliveries, so a stretch left out (the seconds around a crash) shifts nothing.
 */
export function deliveryRate(times: readonly number[], include: (t: number) => boolean): number {
  const points = times.flatMap((t, rank) => (include(t) ? [{ t, rank }] : []));
  const meanT = points.reduce((sum, p) => sum + p.t, 0) / points.length;
  const meanRank = points.reduce((sum, p) => sum + p.rank, 0) / points.length;
  let covariance = 0;
  let variance = 0;
  for (const p of points) {
    covariance += (p.t - meanT) * (p.rank - meanRank);
    variance += (p.t - meanT) ** 2;
  }
  return (covariance / variance) * 1000;
}

/** Deliveries in each second from the first, for a failure message that shows the run's shape. */
export function perSecond(times: readonly number[]): number[] {
  const first = times[0] ?? 0;
  const counts = Array.from({ length: Math.floor(((times.at(-1) ?? first) - first) / 1_000) + 1 }, () => 0);
  for (const t of times) counts[Math.floor((t - first) / 1_000)]! += 1;
  return counts;
}
