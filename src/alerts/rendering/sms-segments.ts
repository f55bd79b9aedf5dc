/** How an SMS text is encoded and how many segments it costs (providers bill and throttle by segment). */
export interface SmsEncoding {
  encoding: 'GSM-7' | 'UCS-2';
  segments: number;
  /** Septets for GSM-7 (escape characters count 2), UTF-16 code units for UCS-2 (emoji count 2). */
  characters: number;
  /** Characters per segment at this length: 160/153 for GSM-7, 70/67 for UCS-2. */
  perSegment: number;
  /** The distinct characters that force UCS-2, in order of first appearance. */
  ucs2Characters: string[];
  warnings: string[];
}

// GSM 03.38 default alphabet (3GPP TS 23.038 §6.2.1), in table order 0x00-0x7F; 0x1B (escape) is
// left out because it is not a character. 0x09 is capital Ç, as in the Unicode mapping GSM0338.TXT.
const gsmBasic = new Set(
  Array.from(
    '@£$¥èéùìòÇ\nØø\rÅå' +
      'Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ' +
      ' !"#¤%&\'()*+,-./' +
      '0123456789:;<=>?' +
      '¡ABCDEFGHIJKLMNO' +
      'PQRSTUVWXYZÄÖÑÜ§' +
      '¿abcdefghijklmno' +
      'pqrstuvwxyzäöñüà',
  ),
);

// The extension table reached through the escape: each costs two septets.
const gsmExtension = new Set(['\f', '^', '{', '}', '\\', '[', '~', ']', '|', '€']);

const limits = {
  'GSM-7': { single: 160, multi: 153 },
  'UCS-2': { single: 70, multi: 67 },
} as const;

/** Septets a character costs in GSM-7, or undefined when GSM-7 cannot encode it. */
function gsmCost(char: string): number | undefined {
  if (gsmBasic.has(char)) return 1;
  if (gsmExtension.has(char)) return 2;
  return undefined;
}

/** Segments needed when characters of the given costs are packed without splitting one across two. */
function packSegments(costs: number[], single: number, multi: number): number {
  const total = costs.reduce((sum, cost) => sum + cost, 0);
  if (total === 0) return 1;
  if (total <= single) return 1;
  let segments = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > multi) {
      segments += 1;
      used = 0;
    }
    used += cost;
  }
  return segments;
}

/** The encoding, segment count and warnings for an SMS text, counted the way carriers count it. */
export function smsEncoding(text: string): SmsEncoding {
  const chars = Array.from(text);
  const ucs2Characters = [...new Set(chars.filter((char) => gsmCost(char) === undefined))];
  const encoding = ucs2Characters.length === 0 ? 'GSM-7' : 'UCS-2';
  // An escape pair and a surrogate pair are never split across segments, so pack per character.
  const costs = chars.map((char) => (encoding === 'GSM-7' ? (gsmCost(char) ?? 1) : char.length));
  const { single, multi } = limits[encoding];
  const characters = costs.reduce((sum, cost) => sum + cost, 0);
  const segments = packSegments(costs, single, multi);
  const perSegment = segments > 1 ? multi : single;
  return {
    encoding,
    segments,
    characters,
    perSegment,
    ucs2Characters,
    warnings: warningsFor(ucs2Characters, segments),
  };
}

/** Warnings an operator should see before sending: UCS-2 and more than one segment. */
function warningsFor(ucs2Characters: string[], segments: number): string[] {
  const warnings: string[] = [];
  if (ucs2Characters.length > 0) {
    const quoted = ucs2Characters.map((char) => `“${char}”`).join(', ');
    const [gsm, ucs2] = segments > 1 ? [limits['GSM-7'].multi, limits['UCS-2'].multi] : [160, 70];
    const verb =
      ucs2Characters.length === 1 ? `The character ${quoted} forces` : `The characters ${quoted} force`;
    warnings.push(`${verb} UCS-2: ${ucs2} characters per segment instead of ${gsm}.`);
  }
  if (segments > 1) warnings.push(`The message needs ${segments} segments.`);
  return warnings;
}
