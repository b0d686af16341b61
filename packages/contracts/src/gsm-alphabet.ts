/**
 * The GSM 03.38 default alphabet (3GPP TS 23.038 §6.2.1), as the Unicode character at each of
 * its 128 codes: each takes one septet. 0x1B is the escape to the extension table, not a
 * character. 0x09 is Ç as the specification draws it; ç is not in the alphabet.
 */
// biome-ignore format: one row of the specification's table per line, eight codes each
export const GSM_BASIC_TABLE: readonly (string | null)[] = [
  '@', '£', '$', '¥', 'è', 'é', 'ù', 'ì', // 0x00
  'ò', 'Ç', '\n', 'Ø', 'ø', '\r', 'Å', 'å', // 0x08
  'Δ', '_', 'Φ', 'Γ', 'Λ', 'Ω', 'Π', 'Ψ', // 0x10
  'Σ', 'Θ', 'Ξ', null, 'Æ', 'æ', 'ß', 'É', // 0x18
  ' ', '!', '"', '#', '¤', '%', '&', "'", // 0x20
  '(', ')', '*', '+', ',', '-', '.', '/', // 0x28
  '0', '1', '2', '3', '4', '5', '6', '7', // 0x30
  '8', '9', ':', ';', '<', '=', '>', '?', // 0x38
  '¡', 'A', 'B', 'C', 'D', 'E', 'F', 'G', // 0x40
  'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', // 0x48
  'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W', // 0x50
  'X', 'Y', 'Z', 'Ä', 'Ö', 'Ñ', 'Ü', '§', // 0x58
  '¿', 'a', 'b', 'c', 'd', 'e', 'f', 'g', // 0x60
  'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', // 0x68
  'p', 'q', 'r', 's', 't', 'u', 'v', 'w', // 0x70
  'x', 'y', 'z', 'ä', 'ö', 'ñ', 'ü', 'à', // 0x78
];

/**
 * The characters of the extension table (§6.2.1.1) by their code there: each is sent as the
 * escape 0x1B and that code, so it takes two septets.
 */
export const GSM_EXTENSION_TABLE: Readonly<Record<number, string>> = {
  10: '\f',
  20: '^',
  40: '{',
  41: '}',
  47: '\\',
  60: '[',
  61: '~',
  62: ']',
  64: '|',
  101: '€',
};
