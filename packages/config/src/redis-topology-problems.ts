const TOPOLOGIES = ['REDIS_URL', 'REDIS_SENTINELS', 'REDIS_CLUSTER_NODES'] as const;

/**
 * What is wrong with the Redis variables taken together, each naming the variable to fix. Takes
 * the values as zod has them, which may still be raw or invalid: the schemas run this even when
 * another variable failed, so that one start-up error lists every problem.
 */
export function redisTopologyProblems(config: Record<string, unknown>): [key: string, message: string][] {
  const given = (key: string) => config[key] !== undefined;
  const [first, ...others] = TOPOLOGIES.filter(given);
  const problems: [string, string][] = others.map((key) => [
    key,
    `cannot be combined with ${first}: set exactly one of ${TOPOLOGIES.join(', ')}`,
  ]);
  const sentinels = given('REDIS_SENTINELS');
  if (sentinels && !given('REDIS_SENTINEL_MASTER'))
    problems.push(['REDIS_SENTINEL_MASTER', 'is required with REDIS_SENTINELS']);
  for (const key of ['REDIS_SENTINEL_MASTER', 'REDIS_SENTINEL_PASSWORD']) {
    if (given(key) && !sentinels) problems.push([key, 'applies only with REDIS_SENTINELS']);
  }
  if (config.REDIS_TLS === true && !sentinels && !given('REDIS_CLUSTER_NODES')) {
    problems.push([
      'REDIS_TLS',
      'applies only to REDIS_SENTINELS or REDIS_CLUSTER_NODES: use rediss:// in REDIS_URL',
    ]);
  }
  const url = config.REDIS_URL;
  if (typeof url === 'string') {
    const parsed = URL.canParse(url) ? new URL(url) : undefined;
    if (parsed?.password && given('REDIS_PASSWORD'))
      problems.push(['REDIS_PASSWORD', 'REDIS_URL has a password already: set it in only one of them']);
    if (parsed?.username && given('REDIS_USERNAME'))
      problems.push(['REDIS_USERNAME', 'REDIS_URL has a user already: set it in only one of them']);
  }
  return problems;
}
