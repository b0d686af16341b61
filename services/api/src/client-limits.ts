import type { CallbackOrigin, ValidationLimits } from '@sms/contracts';

/**
 * The validation limits of each client: the configuration's, with the client's callback
 * allow-list. Made once per client and kept, since validation builds its schemas once per
 * limits object; clients are the few of API_KEYS.
 */
export function clientLimits<L extends ValidationLimits>(
  limits: L,
  callbackOrigins: ReadonlyMap<string, readonly CallbackOrigin[]>,
): (client: string) => L {
  const byClient = new Map<string, L>();
  return (client) => {
    const origins = callbackOrigins.get(client);
    if (origins === undefined) return limits;
    let own = byClient.get(client);
    if (!own) {
      own = { ...limits, callbackOrigins: origins };
      byClient.set(client, own);
    }
    return own;
  };
}
