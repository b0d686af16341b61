// proxy-from-env ships no types. It is the library axios' http adapter reads the proxy with.
declare module 'proxy-from-env' {
  /** The proxy URL `*_PROXY` and `NO_PROXY` give for `url`, or '' for none. */
  export function getProxyForUrl(url: string | URL): string;
}
