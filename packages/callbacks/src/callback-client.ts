import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { CALLBACK_EVENT_ID_HEADER, CALLBACK_SIGNATURE_HEADER, callbackSignature } from '@sms/contracts';
import axios, { type AxiosInstance, isAxiosError } from 'axios';

export interface CallbackClientOptions {
  /** Give up on a call after this many milliseconds. */
  readonly timeoutMs: number;
  /** Upper bound of open connections per receiver; match it to the callback concurrency. */
  readonly maxSockets: number;
}

/** What one post came to: a 2xx, another HTTP status, or no answer. */
export type PostResult =
  | { readonly ok: true; readonly status: number }
  | { readonly ok: false; readonly status?: number; readonly message: string };

// A receiver's answer is not read; a large one is cut off rather than held in memory.
const MAX_ANSWER_BYTES = 65_536;

/** Posts signed callback bodies; one instance per process, with keep-alive connections. */
export class CallbackClient {
  private readonly http: AxiosInstance;
  private readonly httpAgent: HttpAgent;
  private readonly httpsAgent: HttpsAgent;

  constructor(options: CallbackClientOptions) {
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets };
    this.httpAgent = new HttpAgent(agentOptions);
    this.httpsAgent = new HttpsAgent(agentOptions);
    this.http = axios.create({
      headers: { 'Content-Type': 'application/json', 'User-Agent': 'sms-gateway-callbacks' },
      timeout: options.timeoutMs,
      httpAgent: this.httpAgent,
      httpsAgent: this.httpsAgent,
      // A redirect would take the request to a host the allow-list never approved.
      maxRedirects: 0,
      // HTTP(S)_PROXY in the environment must not reroute calls the allow-list judged by host.
      proxy: false,
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: (data) => data,
      maxContentLength: MAX_ANSWER_BYTES,
    });
  }

  /** Posts `body` to `url`, signed with `secret` at the current time. */
  async post(url: string, body: string, eventId: string, secret: string): Promise<PostResult> {
    const signature = callbackSignature(secret, body, Math.floor(Date.now() / 1000));
    try {
      const response = await this.http.post(url, body, {
        headers: { [CALLBACK_SIGNATURE_HEADER]: signature, [CALLBACK_EVENT_ID_HEADER]: eventId },
      });
      if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
      return { ok: false, status: response.status, message: `the receiver answered ${response.status}` };
    } catch (error) {
      const message = isAxiosError(error) ? `${error.code ?? 'ERROR'} ${error.message}` : String(error);
      return { ok: false, message };
    }
  }

  /** Closes idle keep-alive connections so the process can exit. */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
