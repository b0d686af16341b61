import { codePointOf, controlCharacterIn } from '@sms/contracts';
import { ApiError } from './api-error';

/**
 * Refuses (4005) a text with a control character other than tab, line feed or carriage return.
 * `validateSmsRequest` applies the same rule (`SMS_REQUEST_FIELDS.text`); this is for a text
 * that reaches the API by another way.
 */
export function checkTextCharacters(text: string): void {
  const found = controlCharacterIn(text);
  if (found !== undefined) {
    throw new ApiError(
      4005,
      `"text" contains the control character ${codePointOf(found)}; only tab, line feed and carriage return are allowed`,
      'text',
    );
  }
}
