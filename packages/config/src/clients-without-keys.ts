/** The API's variables that hold settings per client, each client named as in API_KEYS. */
export const PER_CLIENT_VARIABLES = [
  'CLIENT_QUOTAS',
  'CALLBACK_ALLOWED_HOSTS',
  'CALLBACK_DEFAULT_URLS',
  'CLIENT_SENDER_IDS',
  'CLIENT_DEFAULT_FROM',
  'CLIENT_DELIVERY_MODES',
] as const;

/**
 * The clients of the per-client variables that API_KEYS does not know, as [variable, message]
 * pairs. No request can come from such a client, so its settings would never apply: most likely
 * its name is misspelt, and its real client goes without them. Variables that are unset or
 * failed to parse are left to their own messages.
 */
export function clientsWithoutKeys(config: Record<string, unknown>): [string, string][] {
  const keys: unknown = config.API_KEYS;
  if (!(keys instanceof Map)) return [];
  const known = new Set<unknown>(keys.values());
  return PER_CLIENT_VARIABLES.flatMap((variable) => {
    const perClient: unknown = config[variable];
    if (!(perClient instanceof Map)) return [];
    return [...perClient.keys()]
      .filter((client) => !known.has(client))
      .map((client): [string, string] => [variable, `client "${client}" is not a client of API_KEYS`]);
  });
}
