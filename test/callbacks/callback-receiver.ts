import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CallbackEvent } from '@sms/contracts';

/** One request the receiver got, with what it answered. */
export interface ReceivedCallback {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly event: CallbackEvent;
  readonly answered: number;
}

/** A client's callback receiver on 127.0.0.1, answering 204, or an error status while told to. */
export interface CallbackReceiver {
  /** e.g. `http://127.0.0.1:41234`. */
  readonly origin: string;
  readonly received: ReceivedCallback[];
  /** The events of `messageId` it answered with 2xx, in arrival order. */
  delivered(messageId: string): CallbackEvent[];
  /** Every request about `messageId`, answered or refused, in arrival order. */
  requests(messageId: string): ReceivedCallback[];
  /** Answer `status` to the next `count` requests (Infinity: until `recover`). */
  fail(count: number, status?: number): void;
  recover(): void;
  stop(): Promise<void>;
}

export async function startCallbackReceiver(): Promise<CallbackReceiver> {
  const received: ReceivedCallback[] = [];
  let failures = 0;
  let failStatus = 500;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const answered = failures > 0 ? failStatus : 204;
      if (failures > 0) failures--;
      received.push({ headers: req.headers, body, event: JSON.parse(body) as CallbackEvent, answered });
      res.statusCode = answered;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const requests = (messageId: string) => received.filter((r) => r.event.messageId === messageId);
  return {
    origin: `http://127.0.0.1:${port}`,
    received,
    requests,
    delivered: (messageId) =>
      requests(messageId)
        .filter((r) => r.answered < 300)
        .map((r) => r.event),
    fail: (count, status = 500) => {
      failures = count;
      failStatus = status;
    },
    recover: () => {
      failures = 0;
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
