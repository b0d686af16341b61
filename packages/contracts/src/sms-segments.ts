import { GSM_BASIC_TABLE, GSM_EXTENSION_TABLE } from './gsm-alphabet';
import { isOneOf } from './is-one-of';

export const SMS_ENCODINGS = ['GSM-7', 'UCS-2'] as const;
export type SmsEncoding = (typeof SMS_ENCODINGS)[number];
export const isSmsEncoding = isOneOf(SMS_ENCODINGS);

/** How a text travels over the network. */
export interface SmsSegments {
  /** GSM-7 when every character is in the GSM 03.38 alphabet, else UCS-2. */
  readonly encoding: SmsEncoding;
  /** SMS parts the text takes: 1, or the parts of a concatenated message. */
  readonly segments: number;
  /** Length in the encoding's units: septets (GSM-7), or UTF-16 code units (UCS-2). */
  readonly units: number;
  /** With UCS-2, the first character that is not in the GSM alphabet. */
  readonly firstNonGsm?: string;
}

/**
 * Units that fit in one SMS, and in each part of a concatenated one, whose 6-octet header
 * (3GPP TS 23.040 §9.2.3.24.1) leaves 153 septets or 67 UCS-2 units of the 140 octets.
 */
export const SEGMENT_CAPACITY = {
  'GSM-7': { single: 160, part: 153 },
  'UCS-2': { single: 70, part: 67 },
} as const satisfies Record<SmsEncoding, { readonly single: number; readonly part: number }>;

const SEPTETS = new Map<string, 1 | 2>([
  ...GSM_BASIC_TABLE.filter((c): c is string => c !== null).map((c) => [c, 1] as const),
  ...Object.values(GSM_EXTENSION_TABLE).map((c) => [c, 2] as const),
]);

/**
 * The encoding and the number of SMS parts of `text`. Parts are filled in order, and a
 * character is never cut in two: an extension character (escape and code) or a surrogate pair
 * that does not fit at the end of a part starts the next one, as a phone reassembling the parts
 * requires. So a boundary can cost a unit of space, and the count can exceed a plain division.
 */
export function smsSegmentsOf(text: string): SmsSegments {
  let firstNonGsm: string | undefined;
  for (const character of text) {
    if (!SEPTETS.has(character)) {
      firstNonGsm = character;
      break;
    }
  }
  const encoding: SmsEncoding = firstNonGsm === undefined ? 'GSM-7' : 'UCS-2';
  // A code point outside the Basic Multilingual Plane is a surrogate pair: two UCS-2 units.
  const unitsOf = (character: string) =>
    firstNonGsm === undefined ? SEPTETS.get(character)! : character.length;
  const { single, part } = SEGMENT_CAPACITY[encoding];
  let units = 0;
  let segments = 1;
  let inPart = 0;
  for (const character of text) {
    const size = unitsOf(character);
    units += size;
    if (inPart + size > part) {
      segments += 1;
      inPart = 0;
    }
    inPart += size;
  }
  return {
    encoding,
    segments: units <= single ? 1 : segments,
    units,
    ...(firstNonGsm !== undefined && { firstNonGsm }),
  };
}
