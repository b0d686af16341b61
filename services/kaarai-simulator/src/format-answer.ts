import type { SimulatorBodyStyle } from '@sms/config';
import type { KaaraiCode } from '@sms/contracts';

export interface FormattedAnswer {
  readonly body: string;
  /** Absent when there is no body. */
  readonly contentType: 'application/json' | undefined;
}

/**
 * The body of an answer in each style. Kaarai's document shows answers only as
 * «Code 2020: Accepted for delivery» and says they are `application/json`; `json` is the shape
 * we expect, `text` is the document's wording as a JSON string, `empty` has no body at all.
 */
export const ANSWER_FORMATS: Readonly<
  Record<SimulatorBodyStyle, (code: KaaraiCode, message: string) => FormattedAnswer>
> = {
  json: (code, message) => ({ body: JSON.stringify({ code, message }), contentType: 'application/json' }),
  text: (code, message) => ({
    body: JSON.stringify(`Code ${code}: ${message}`),
    contentType: 'application/json',
  }),
  empty: () => ({ body: '', contentType: undefined }),
};

export function formatAnswer(style: SimulatorBodyStyle, code: KaaraiCode, message: string): FormattedAnswer {
  return ANSWER_FORMATS[style](code, message);
}
