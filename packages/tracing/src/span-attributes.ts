import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
} from '@opentelemetry/semantic-conventions';

/**
 * The attribute names of the gateway's spans: OpenTelemetry's own where one fits, `sms.*` for
 * the gateway's; docs/observability.md ("Traces") lists which span carries which.
 */
export const SPAN_ATTRIBUTES = {
  httpMethod: ATTR_HTTP_REQUEST_METHOD,
  httpRoute: ATTR_HTTP_ROUTE,
  httpStatusCode: ATTR_HTTP_RESPONSE_STATUS_CODE,
  errorType: ATTR_ERROR_TYPE,
  client: 'sms.client',
  messageId: 'sms.message_id',
  /** The gateway's answer code (2020 accepted, 4xxx, 5030...). */
  code: 'sms.code',
  attempt: 'sms.attempt',
  /** What the attempt came to: success, retry, dead_letter, hold, expired... */
  outcome: 'sms.outcome',
  kaaraiCode: 'sms.kaarai.code',
  kaaraiAction: 'sms.kaarai.action',
} as const;
