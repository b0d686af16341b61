/**
 * The codes the gateway's own API answers with. They reuse Kaarai's numbers where the meaning is
 * the same, so that callers meet one vocabulary; the others follow Kaarai's pattern of HTTP
 * status times ten plus a digit, and the 400s, past 4009, go on from 4010.
 */
export const API_ERROR_CODES = {
  4000: { httpStatus: 400, text: 'Invalid content-type' },
  4001: { httpStatus: 400, text: 'Missing receiver number' },
  4002: { httpStatus: 400, text: 'Missing text message' },
  4003: { httpStatus: 400, text: 'Invalid receiver number' },
  4004: { httpStatus: 400, text: 'Invalid sender id' },
  4005: { httpStatus: 400, text: 'Invalid text message' },
  4006: { httpStatus: 400, text: 'Unknown field' },
  4007: { httpStatus: 400, text: 'Malformed JSON body' },
  4008: { httpStatus: 400, text: 'Invalid Idempotency-Key header' },
  4009: { httpStatus: 400, text: 'Invalid validity period' },
  4015: { httpStatus: 400, text: 'Invalid priority' },
  4016: { httpStatus: 400, text: 'Invalid send time' },
  4017: { httpStatus: 400, text: 'Invalid reference' },
  4018: { httpStatus: 400, text: 'Text takes too many SMS parts' },
  4030: { httpStatus: 401, text: 'Missing or invalid API key' },
  4040: { httpStatus: 404, text: 'Unknown request' },
  4041: { httpStatus: 404, text: 'Unknown message id' },
  4130: { httpStatus: 413, text: 'Request body too large' },
  4220: { httpStatus: 422, text: 'Idempotency-Key reused with a different request' },
  5000: { httpStatus: 500, text: 'Internal error' },
  5030: { httpStatus: 503, text: 'Temporarily unavailable, try again later' },
  4010: { httpStatus: 400, text: 'Invalid dead-letter filter' },
  4042: { httpStatus: 404, text: 'Not in the dead-letter queue' },
  4090: { httpStatus: 409, text: 'Message still being processed, try again shortly' },
  4091: { httpStatus: 409, text: 'Message already being sent, too late to cancel' },
  4092: { httpStatus: 409, text: 'Message already final, too late to cancel' },
  4011: { httpStatus: 400, text: 'Invalid batch' },
  4012: { httpStatus: 400, text: 'No valid message in the batch' },
  4013: { httpStatus: 400, text: 'Invalid callback URL' },
  4014: { httpStatus: 400, text: "Callback URL not on the client's allow-list" },
  4131: { httpStatus: 413, text: 'Too many messages in one batch' },
  4290: { httpStatus: 429, text: 'Too many requests per second' },
  4291: { httpStatus: 429, text: 'Daily message quota used up' },
  5031: { httpStatus: 503, text: 'Status archive unavailable, try again later' },
  // 403, not 400: the sender id is well formed, and this client may not use it. Not 4031, which
  // is Kaarai's "not routable".
  4032: { httpStatus: 403, text: 'Sender id not allowed for this client' },
  4019: { httpStatus: 400, text: 'Invalid given-up callback filter' },
  4043: { httpStatus: 404, text: 'Not a given-up callback' },
  4020: { httpStatus: 400, text: 'Invalid delivery mode' },
} as const satisfies Record<number, { httpStatus: number; text: string }>;

export type ApiErrorCode = keyof typeof API_ERROR_CODES;
