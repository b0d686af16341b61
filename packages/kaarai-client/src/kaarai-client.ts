import { Axios, isAxiosError } from 'axios';
import { getProxyForUrl } from 'proxy-from-env';
import { classifyAnswer, classifyFailure } from './classify-kaarai-answer';
import type { KaaraiOutcome } from './kaarai-outcome';
import { UndiciTransport, wasStarted } from './undici-transport';

export interface KaaraiClientOptions {
  /** Full URL of Kaarai's send endpoint. */
  readonly url: string;
  readonly user: string;
  readonly password: string;
  /** Give up on a call after this many milliseconds. */
  readonly timeoutMs: number;
  /** PEM certificate(s) to trust in addition to the system's, for a private CA. */
  readonly ca?: string;
  /** Upper bound of open connections to Kaarai; match it to the worker's concurrency. */
  readonly maxSockets?: number;
}

export interface SmsToSend {
  readonly to: string;
  readonly from?: string;
  readonly text: string;
}

/** Sends single SMS to Kaarai and reports every result, answer or not, as a `KaaraiOutcome`. */
export class KaaraiClient {
  // The class as a type: axios' CommonJS typings (the compiled build) declare Axios as a value only.
  private readonly http: InstanceType<typeof Axios>;
  private readonly transport: UndiciTransport;

  constructor(private readonly options: KaaraiClientOptions) {
    // axios' http adapter costs about three times the CPU of undici's pools per call.
    // The proxy is the one axios' http adapter took from the environment for this URL.
    const proxy = getProxyForUrl(options.url);
    this.transport = new UndiciTransport({
      connections: options.maxSockets ?? 64,
      connectTimeoutMs: options.timeoutMs,
      ...(options.ca && { ca: options.ca }),
      ...(proxy !== '' && { proxy }),
    });
    // An instance without axios' global defaults (`axios.create` merges them in): merging those on
    // every call (nested header buckets, transitional options, environment) cost a quarter of the
    // call. Nothing of them applies here: the transport is ours, the headers and options are below.
    this.http = new Axios({
      adapter: this.transport.adapter,
      auth: { username: options.user, password: options.password },
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      timeout: options.timeoutMs,
      // A redirected POST could be replayed elsewhere; Kaarai's API has no redirects.
      maxRedirects: 0,
      // Every status is an answer to classify, and the body is parsed once, by us.
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: (data) => data,
    });
  }

  async send(sms: SmsToSend): Promise<KaaraiOutcome> {
    const body = JSON.stringify(sms.from === undefined ? { to: sms.to, text: sms.text } : sms);
    const started = performance.now();
    try {
      const response = await this.http.request<string>({ method: 'post', url: this.options.url, data: body });
      const retryAfter = response.headers['retry-after'];
      return classifyAnswer(
        response.status,
        typeof response.data === 'string' ? response.data : undefined,
        typeof retryAfter === 'string' ? retryAfter : undefined,
        performance.now() - started,
      );
    } catch (error) {
      // Anything but an axios error is a fault of ours or of axios mid-call: possibly written.
      const failure = isAxiosError(error)
        ? { code: error.code, message: error.message, connected: wasStarted(error.request) }
        : { message: String(error), connected: true };
      return classifyFailure(failure, performance.now() - started);
    }
  }

  /** Closes idle keep-alive connections so the process can exit. */
  close(): void {
    void this.transport.close().catch(() => {});
  }
}
