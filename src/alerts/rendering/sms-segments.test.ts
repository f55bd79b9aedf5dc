import { describe, expect, it } from 'vitest';
import { smsEncoding } from './sms-segments.js';

const gsm = (length: number) => 'a'.repeat(length);
const cyrillic = (length: number) => 'ж'.repeat(length);

describe('SMS segments', () => {
  it.each([
    ['160 GSM characters', 'GSM-7', 1, 160, 160, gsm(160)],
    ['161 GSM characters', 'GSM-7', 2, 161, 153, gsm(161)],
    ['306 GSM characters', 'GSM-7', 2, 306, 153, gsm(306)],
    ['307 GSM characters', 'GSM-7', 3, 307, 153, gsm(307)],
    ['80 euro signs (2 septets each)', 'GSM-7', 1, 160, 160, '€'.repeat(80)],
    ['159 letters and a euro sign', 'GSM-7', 2, 161, 153, `${gsm(159)}€`],
    ['70 UCS-2 characters', 'UCS-2', 1, 70, 70, cyrillic(70)],
    ['71 UCS-2 characters', 'UCS-2', 2, 71, 67, cyrillic(71)],
    ['134 UCS-2 characters', 'UCS-2', 2, 134, 67, cyrillic(134)],
    ['135 UCS-2 characters', 'UCS-2', 3, 135, 67, cyrillic(135)],
    ['68 letters and an emoji (2 code units)', 'UCS-2', 1, 70, 70, `${gsm(68)}🚨`],
    ['69 letters and an emoji', 'UCS-2', 2, 71, 67, `${gsm(69)}🚨`],
    ['a curly apostrophe in 150 letters', 'UCS-2', 3, 150, 67, `It’s ${gsm(145)}`],
    ['Chinese', 'UCS-2', 1, 6, 70, '校园紧急通知'],
    ['an empty text', 'GSM-7', 1, 0, 160, ''],
  ] as const)(
    '%s: %s, %i segment(s), %i characters, %i per segment',
    (_name, encoding, segments, characters, perSegment, text) => {
      expect(smsEncoding(text)).toMatchObject({ encoding, segments, characters, perSegment });
    },
  );

  it('counts every extension-table character as two septets', () => {
    expect(smsEncoding('[]{}\\^~|\f€').characters).toBe(20);
    expect(smsEncoding('[]{}\\^~|\f€').encoding).toBe('GSM-7');
  });

  it('encodes the whole GSM 03.38 basic table as GSM-7, one septet each', () => {
    const table =
      '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
    expect(Array.from(table)).toHaveLength(127);
    expect(smsEncoding(table)).toMatchObject({ encoding: 'GSM-7', characters: 127, ucs2Characters: [] });
  });

  it.each(['á', 'í', 'ó', 'ú', 'ç', 'ê', '’', '“', '—', '…', '\t', '\u00A0', '`'])(
    'sends %j as UCS-2 (not in GSM 03.38)',
    (char) => {
      expect(smsEncoding(`a${char}b`)).toMatchObject({ encoding: 'UCS-2', ucs2Characters: [char] });
    },
  );

  it('never splits an escape pair across two segments', () => {
    // 152 + 2 + 152 = 306 septets, but the euro sign cannot straddle the 153rd septet.
    expect(smsEncoding(`${gsm(152)}€${gsm(152)}`)).toMatchObject({ characters: 306, segments: 3 });
  });

  it('never splits an emoji across two segments', () => {
    expect(smsEncoding(`${cyrillic(66)}🚨${cyrillic(66)}`)).toMatchObject({ characters: 134, segments: 3 });
  });

  it('names each character that forces UCS-2 once, in order', () => {
    const result = smsEncoding('It’s “bad” – isn’t it?');
    expect(result.ucs2Characters).toEqual(['’', '“', '”', '–']);
    expect(result.warnings[0]).toBe(
      'The characters “’”, ““”, “””, “–” force UCS-2: 70 characters per segment instead of 160.',
    );
  });

  it('warns that a curly quote forces UCS-2 and that the message needs more segments', () => {
    expect(smsEncoding(`It’s ${gsm(100)}`).warnings).toEqual([
      'The character “’” forces UCS-2: 67 characters per segment instead of 153.',
      'The message needs 2 segments.',
    ]);
  });

  it('has no warnings for a short GSM-7 message', () => {
    expect(smsEncoding('MIT Alert: Test.').warnings).toEqual([]);
  });
});
