import {
  codeForHttpStatus,
  isKaaraiCode,
  KAARAI_CODES,
  type KaaraiAction,
  NO_ANSWER_POLICY,
} from './kaarai-codes';

// Each row copied from Kaarai's send-SMS API document («Return "Code N: text"» and its HTTP
// status), with the gateway's decision about it.
const DOCUMENT: ReadonlyArray<
  readonly [code: number, httpStatus: number, text: string, action: KaaraiAction]
> = [
  [2020, 202, 'Accepted for delivery', 'succeed'],
  [2021, 202, 'Queued for later delivery', 'succeed'],
  [4000, 400, 'Invalid content-type', 'hold'],
  [4001, 400, 'Missing receiver number, rejected', 'dead_letter'],
  [4002, 400, 'Missing text message, rejected', 'dead_letter'],
  [4003, 400, 'Invalid receiver number, rejected', 'dead_letter'],
  [4030, 403, 'Authorization failed for user', 'hold'],
  [4031, 403, 'Not routable. Do not try again', 'dead_letter'],
  [4040, 404, 'Unknown request', 'hold'],
  [5030, 503, 'Temporal failure, try again later', 'retry'],
];

describe('KAARAI_CODES', () => {
  it.each(DOCUMENT)(
    'lists %i with HTTP %i, the text "%s" and the action %s',
    (code, httpStatus, text, action) => {
      expect(isKaaraiCode(code)).toBe(true);
      expect(KAARAI_CODES[code as keyof typeof KAARAI_CODES]).toEqual({ httpStatus, text, action });
    },
  );

  it('lists no code that the document does not have', () => {
    expect(Object.keys(KAARAI_CODES).map(Number).sort()).toEqual(DOCUMENT.map(([code]) => code).sort());
  });

  it('pairs every code with its HTTP status, as the code is the status times ten plus a digit', () => {
    for (const [code, info] of Object.entries(KAARAI_CODES)) {
      expect(Math.floor(Number(code) / 10)).toBe(info.httpStatus);
    }
  });

  it.each([0, 200, 202, 2022, 4004, 4032, 4999, 5000, 5031, Number.NaN])(
    'does not know the code %p',
    (code) => {
      expect(isKaaraiCode(code)).toBe(false);
    },
  );

  it('does not mistake inherited object properties for codes', () => {
    expect(isKaaraiCode('constructor' as unknown as number)).toBe(false);
    expect(isKaaraiCode('toString' as unknown as number)).toBe(false);
  });
});

describe('codeForHttpStatus', () => {
  it.each([
    [200, 2020, 'succeed'],
    [202, 2020, 'succeed'],
    [301, 4040, 'hold'],
    [302, 4040, 'hold'],
    [400, 4000, 'hold'],
    [401, 4030, 'hold'],
    [403, 4030, 'hold'],
    [404, 4040, 'hold'],
    [405, 4040, 'hold'],
    [415, 4000, 'hold'],
    [429, 5030, 'retry'],
    [500, 5030, 'retry'],
    [502, 5030, 'retry'],
    [503, 5030, 'retry'],
    [504, 5030, 'retry'],
  ])('takes HTTP %i without a code as %i, so the gateway does "%s"', (status, code, action) => {
    expect(codeForHttpStatus(status)).toBe(code);
    expect(KAARAI_CODES[codeForHttpStatus(status)].action).toBe(action);
  });

  it.each([408, 409, 422, 599])(
    'retries the unexpected status %i rather than throwing the message away',
    (status) => {
      expect(KAARAI_CODES[codeForHttpStatus(status)].action).toBe('retry');
    },
  );
});

describe('NO_ANSWER_POLICY', () => {
  it.each([
    ['timeout', 'retry', true],
    ['connection_dropped', 'retry', true],
    ['connect_timeout', 'retry', false],
    ['connection_failed', 'retry', false],
    ['tls', 'hold', false],
  ] as const)('treats %s as %s (request may have been sent: %p)', (reason, action, requestSent) => {
    expect(NO_ANSWER_POLICY[reason]).toEqual({ action, requestSent });
  });

  it('marks as possibly sent exactly the outcomes that retry into a possible duplicate', () => {
    const unknown = Object.entries(NO_ANSWER_POLICY).filter(([, info]) => info.requestSent);
    expect(unknown.map(([reason]) => reason).sort()).toEqual(['connection_dropped', 'timeout']);
  });
});
