import { GSM_BASIC_TABLE, GSM_EXTENSION_TABLE } from './gsm-alphabet';
import { smsSegmentsOf } from './sms-segments';

const BASIC = GSM_BASIC_TABLE.filter((c): c is string => c !== null);
const EXTENSION = Object.values(GSM_EXTENSION_TABLE);
const at = (character: string) =>
  `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

describe('the GSM 03.38 tables', () => {
  it('holds 127 one-septet characters and the escape, each once', () => {
    expect(GSM_BASIC_TABLE).toHaveLength(128);
    expect(GSM_BASIC_TABLE.indexOf(null)).toBe(0x1b);
    expect(new Set(BASIC).size).toBe(127);
  });

  it.each([
    [0x00, '@'],
    [0x02, '$'],
    [0x09, 'Ç'],
    [0x0a, '\n'],
    [0x0d, '\r'],
    [0x10, 'Δ'],
    [0x24, '¤'],
    [0x40, '¡'],
    [0x5f, '§'],
    [0x60, '¿'],
    [0x7f, 'à'],
  ])('has at code %i the character the specification has there', (code, character) => {
    expect(GSM_BASIC_TABLE[code]).toBe(character);
  });

  it('has the ten extension characters, none of them in the basic table', () => {
    expect(EXTENSION.sort()).toEqual(['\f', '[', '\\', ']', '^', '{', '|', '}', '~', '€'].sort());
    for (const character of EXTENSION) expect(BASIC).not.toContain(character);
  });
});

describe('smsSegmentsOf', () => {
  describe.each(BASIC.map((c) => [at(c), c] as const))('the basic character %s', (_name, character) => {
    it('keeps the text GSM-7 and takes one septet', () => {
      expect(smsSegmentsOf(character.repeat(160))).toEqual({ encoding: 'GSM-7', segments: 1, units: 160 });
      expect(smsSegmentsOf(character.repeat(161))).toEqual({ encoding: 'GSM-7', segments: 2, units: 161 });
    });
  });

  describe.each(EXTENSION.map((c) => [at(c), c] as const))(
    'the extension character %s',
    (_name, character) => {
      it('keeps the text GSM-7 and takes two septets', () => {
        expect(smsSegmentsOf(character.repeat(80))).toEqual({ encoding: 'GSM-7', segments: 1, units: 160 });
        expect(smsSegmentsOf(`${character.repeat(80)}a`)).toEqual({
          encoding: 'GSM-7',
          segments: 2,
          units: 161,
        });
      });

      it('is never cut between two parts', () => {
        // 152 septets, then the escape and its code do not fit in the 153 of the first part.
        const text = `${'a'.repeat(152)}${character}${'a'.repeat(152)}`;
        expect(smsSegmentsOf(text)).toEqual({ encoding: 'GSM-7', segments: 3, units: 306 });
      });
    },
  );

  it.each([
    ['a lower-case c with cedilla', 'ç'],
    ['a back quote', '`'],
    ['a tab', '\t'],
    ['a typographic apostrophe', '’'],
    ['a Cyrillic letter', 'ж'],
    ['a Greek small letter', 'α'],
    ['a non-breaking space', '\u00a0'],
    ['an emoji', '😀'],
  ])('makes a text with %s UCS-2 and names the character', (_name, character) => {
    expect(smsSegmentsOf(`Hello ${character} there`)).toMatchObject({
      encoding: 'UCS-2',
      firstNonGsm: character,
    });
  });

  it.each([
    ['GSM-7 at the single limit', 'a'.repeat(160), 'GSM-7', 1, 160],
    ['GSM-7 one past the single limit', 'a'.repeat(161), 'GSM-7', 2, 161],
    ['GSM-7 filling two parts', 'a'.repeat(153 * 2), 'GSM-7', 2, 306],
    ['GSM-7 one past two parts', 'a'.repeat(153 * 2 + 1), 'GSM-7', 3, 307],
    ['GSM-7 filling ten parts', 'a'.repeat(1530), 'GSM-7', 10, 1530],
    ['UCS-2 at the single limit', 'ж'.repeat(70), 'UCS-2', 1, 70],
    ['UCS-2 one past the single limit', 'ж'.repeat(71), 'UCS-2', 2, 71],
    ['UCS-2 filling two parts', 'ж'.repeat(67 * 2), 'UCS-2', 2, 134],
    ['UCS-2 one past two parts', 'ж'.repeat(67 * 2 + 1), 'UCS-2', 3, 135],
    ['one character', 'a', 'GSM-7', 1, 1],
    ['nothing', '', 'GSM-7', 1, 0],
  ])('counts %s', (_name, text, encoding, segments, units) => {
    expect(smsSegmentsOf(text)).toMatchObject({ encoding, segments, units });
  });

  describe('in UCS-2', () => {
    it('counts an emoji (a surrogate pair) as two units', () => {
      expect(smsSegmentsOf('😀'.repeat(35))).toMatchObject({ encoding: 'UCS-2', segments: 1, units: 70 });
      expect(smsSegmentsOf('😀'.repeat(36))).toMatchObject({ encoding: 'UCS-2', segments: 2, units: 72 });
    });

    it('never cuts a surrogate pair between two parts', () => {
      // 66 units, then the pair does not fit in the 67 of the first part.
      const text = `${'ж'.repeat(66)}😀${'ж'.repeat(66)}`;
      expect(smsSegmentsOf(text)).toMatchObject({ encoding: 'UCS-2', segments: 3, units: 134 });
    });

    it('fits a pair that ends exactly at a part boundary', () => {
      const text = `${'ж'.repeat(65)}😀${'ж'.repeat(67)}`;
      expect(smsSegmentsOf(text)).toMatchObject({ encoding: 'UCS-2', segments: 2, units: 134 });
    });

    it('counts each code point of a composed emoji: skin tone, flag, joined family', () => {
      expect(smsSegmentsOf('👍🏽')).toMatchObject({ units: 4 });
      expect(smsSegmentsOf('🇨🇴')).toMatchObject({ units: 4 });
      expect(smsSegmentsOf('👩‍👩‍👧')).toMatchObject({ units: 8 });
    });

    it('counts an extension character as one unit, since it is no longer escaped', () => {
      const text = `${'['.repeat(70)}`;
      expect(smsSegmentsOf(text)).toMatchObject({ encoding: 'GSM-7', units: 140 });
      expect(smsSegmentsOf(`${'['.repeat(69)}ж`)).toMatchObject({
        encoding: 'UCS-2',
        segments: 1,
        units: 70,
      });
    });
  });

  it('keeps an extension character that ends exactly at a part boundary in that part', () => {
    const text = `${'a'.repeat(151)}€${'a'.repeat(153)}`;
    expect(smsSegmentsOf(text)).toEqual({ encoding: 'GSM-7', segments: 2, units: 306 });
  });

  it('counts a form feed as two septets, and CR and LF as one each', () => {
    expect(smsSegmentsOf('a\fb')).toMatchObject({ encoding: 'GSM-7', units: 4 });
    expect(smsSegmentsOf('a\r\nb')).toMatchObject({ encoding: 'GSM-7', units: 4 });
  });
});
