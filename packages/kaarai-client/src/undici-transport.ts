import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import axios, {
  type AxiosAdapter,
  AxiosError,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
} from 'axios';
import { Agent, type Dispatcher, ProxyAgent } from 'undici';

export interface UndiciTransportOptions {
  /** Keep-alive connections per origin. */
  readonly connections: number;
  /** PEM roots for TLS; like `tls.connect`'s `ca`, they replace the system's. */
  readonly ca?: string;
  /** Give up on a connection that is not established within this many ms. */
  readonly connectTimeoutMs: number;
  /** URL of an HTTP proxy every call goes through (CONNECT for https). @defaultValue none */
  readonly proxy?: string;
}

/**
 * The `request` of an error this transport raises: whether the call was handed to an established
 * connection (TCP connected, and for https the TLS handshake done), the point from which its
 * request is written. Until then undici holds it in the pool's queue, so a call that failed
 * before cannot have reached the server.
 */
export class UndiciCall {
  started = false;
}

/** False only for a call of this transport known never to have been handed to a connection. */
export function wasStarted(request: unknown): boolean {
  return request instanceof UndiciCall ? request.started : true;
}

// undici's own timers, should one fire before the adapter's whole-call timer: the codes the
// http adapter gives for the same events, so that they classify alike.
const CODES_OF_UNDICI: ReadonlyMap<string, string> = new Map([
  ['UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT'],
  ['UND_ERR_HEADERS_TIMEOUT', AxiosError.ECONNABORTED],
  ['UND_ERR_BODY_TIMEOUT', AxiosError.ECONNABORTED],
]);

const DECOMPRESS: ReadonlyMap<string, (body: Buffer) => Buffer> = new Map([
  ['gzip', gunzipSync],
  ['x-gzip', gunzipSync],
  ['deflate', inflateSync],
  ['br', brotliDecompressSync],
]);

const USER_AGENT = `axios/${axios.VERSION}`;

/**
 * An axios adapter on undici's connection pools, in place of axios' http adapter, which costs
 * about three times as much CPU per call. It keeps what the gateway relies on from the http
 * adapter: `timeout` bounds the whole call from its start (waiting for a free connection,
 * connecting, the answer), redirects are never followed, `auth` is sent as Basic, `validateStatus`
 * and `maxContentLength` apply, a compressed answer is decompressed, a UTF-8 BOM is dropped, and a
 * proxy is used when given. Request bodies are strings or buffers;
 * `params`, `signal` and upload limits are not implemented (the Kaarai client uses none).
 */
export class UndiciTransport {
  private readonly dispatcher: Dispatcher;
  private lastUrl = '';
  private target = { origin: '', path: '' };

  constructor(options: UndiciTransportOptions) {
    const agentOptions = {
      connections: options.connections,
      connect: { timeout: options.connectTimeoutMs, ...(options.ca !== undefined && { ca: options.ca }) },
    };
    this.dispatcher =
      options.proxy === undefined
        ? new Agent(agentOptions)
        : new ProxyAgent({ ...agentOptions, uri: options.proxy });
  }

  readonly adapter: AxiosAdapter = (config) =>
    new Promise((resolve, reject) => {
      const call = new CallHandler(config, resolve, reject);
      try {
        const { origin, path } = this.targetOf(config);
        call.start();
        this.dispatcher.dispatch(
          {
            origin,
            path,
            method: (config.method ?? 'get').toUpperCase(),
            headers: headersOf(config),
            body: bodyOf(config),
          },
          call,
        );
      } catch (error) {
        call.fail(AxiosError.from(error, undefined, config, call.request));
      }
    });

  /** Closes every connection at once; calls still under way fail. */
  close(): Promise<void> {
    return this.dispatcher.destroy();
  }

  private targetOf(config: InternalAxiosRequestConfig): { origin: string; path: string } {
    const url = config.url ?? '';
    if (url !== this.lastUrl || config.baseURL !== undefined) {
      const parsed = new URL(url, config.baseURL);
      this.target = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
      this.lastUrl = config.baseURL === undefined ? url : '';
    }
    return this.target;
  }
}

function headersOf(config: InternalAxiosRequestConfig): Record<string, string> {
  const headers: Record<string, string> = { 'User-Agent': USER_AGENT };
  for (const [name, value] of Object.entries(config.headers.toJSON(true))) {
    if (value !== undefined && value !== null) headers[name] = String(value);
  }
  if (config.auth) {
    const credentials = `${config.auth.username ?? ''}:${config.auth.password ?? ''}`;
    headers.Authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
  }
  return headers;
}

function bodyOf(config: InternalAxiosRequestConfig): string | Buffer | null {
  const { data } = config;
  if (data === undefined || data === null) return null;
  if (typeof data === 'string' || Buffer.isBuffer(data)) return data;
  throw new AxiosError(
    'only string and Buffer request bodies are supported',
    AxiosError.ERR_NOT_SUPPORT,
    config,
  );
}

/** One call: collects the answer, and settles the axios promise once, whatever comes first. */
class CallHandler implements Dispatcher.DispatchHandler {
  readonly request = new UndiciCall();
  private controller: Dispatcher.DispatchController | undefined;
  private timer: NodeJS.Timeout | undefined;
  private settled = false;
  private status = 0;
  private statusText = '';
  private headers: Record<string, string | string[] | undefined> = {};
  private readonly chunks: Buffer[] = [];
  private size = 0;

  constructor(
    private readonly config: InternalAxiosRequestConfig,
    private readonly resolve: (response: AxiosResponse) => void,
    private readonly reject: (error: unknown) => void,
  ) {}

  start(): void {
    const timeout = this.config.timeout ?? 0;
    if (timeout > 0) this.timer = setTimeout(() => this.fail(this.timeoutError(timeout)), timeout);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    // Timed out while waiting for a connection: the request must not be written after all.
    if (this.settled) {
      controller.abort(new AxiosError('call already given up', AxiosError.ECONNABORTED));
      return;
    }
    this.controller = controller;
    this.request.started = true;
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
    statusText?: string,
  ): void {
    this.status = statusCode;
    this.headers = headers;
    this.statusText = statusText ?? '';
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    const limit = this.config.maxContentLength ?? -1;
    if (limit > -1 && this.size > limit) {
      this.fail(
        new AxiosError(
          `maxContentLength size of ${limit} exceeded`,
          AxiosError.ERR_BAD_RESPONSE,
          this.config,
          this.request,
        ),
      );
    }
  }

  onResponseEnd(): void {
    if (this.settled) return;
    let body: Buffer;
    try {
      body = this.decoded(this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks));
    } catch (error) {
      this.fail(AxiosError.from(error, AxiosError.ERR_BAD_RESPONSE, this.config, this.request));
      return;
    }
    let data = body.toString('utf8');
    if (data.charCodeAt(0) === 0xfeff) data = data.slice(1);
    const response: AxiosResponse = {
      data,
      status: this.status,
      statusText: this.statusText,
      headers: this.headers,
      config: this.config,
      request: this.request,
    };
    this.finish();
    const { validateStatus } = this.config;
    if (!validateStatus || validateStatus(this.status)) {
      this.resolve(response);
      return;
    }
    const code = this.status >= 500 ? AxiosError.ERR_BAD_RESPONSE : AxiosError.ERR_BAD_REQUEST;
    this.reject(
      new AxiosError(
        `Request failed with status code ${this.status}`,
        code,
        this.config,
        this.request,
        response,
      ),
    );
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    const code = (error as { code?: unknown }).code;
    const known = typeof code === 'string' ? CODES_OF_UNDICI.get(code) : undefined;
    this.fail(AxiosError.from(error, known, this.config, this.request));
  }

  /** Settles the call with `error`; a call under way is aborted, which closes its connection. */
  fail(error: unknown): void {
    if (this.settled) return;
    this.finish();
    this.controller?.abort(error instanceof Error ? error : new Error(String(error)));
    this.reject(error);
  }

  private finish(): void {
    this.settled = true;
    clearTimeout(this.timer);
  }

  private decoded(body: Buffer): Buffer {
    const encoding = this.headers['content-encoding'];
    if (typeof encoding !== 'string' || body.length === 0 || this.config.decompress === false) return body;
    const decompress = DECOMPRESS.get(encoding.trim().toLowerCase());
    return decompress ? decompress(body) : body;
  }

  private timeoutError(timeout: number): AxiosError {
    const clarify = this.config.transitional?.clarifyTimeoutError === true;
    return new AxiosError(
      this.config.timeoutErrorMessage ?? `timeout of ${timeout}ms exceeded`,
      clarify ? AxiosError.ETIMEDOUT : AxiosError.ECONNABORTED,
      this.config,
      this.request,
    );
  }
}
