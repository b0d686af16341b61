import { ApiError } from './api-error';

// Unicode's control characters (C0, DEL, C1) except tab, line feed and carriage return, which
// are ordinary in a multi-line SMS. The others have no meaning on a phone, and some harm on the
// way: NUL ends strings in C code, escape sequences drive terminals that display logs.
const CONTROL = /(?![\t\n\r])\p{Cc}/u;

/** Refuses (4005) a text with a control character other than tab, line feed or carriage return. */
export function checkTextCharacters(text: string): void {
  const found = CONTROL.exec(text);
  if (found) {
    const codePoint = found[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    throw new ApiError(
      4005,
      `"text" contains the control character U+${codePoint}; only tab, line feed and carriage return are allowed`,
      'text',
    );
  }
}
