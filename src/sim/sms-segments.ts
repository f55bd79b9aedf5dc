/**
 * The segment count a provider bills and throttles an SMS by. Deliberately independent of Tocsin's
 * own renderer, so a test comparing the two catches a mistake in either. Kept simple, as carriers
 * are: a GSM-7 text costs 160 septets in one segment or 153 per segment when split (extension
 * characters cost two); anything outside GSM-7 makes the whole text UCS-2, 70 or 67 UTF-16 units.
 */
const gsmBasic = new Set(
  Array.from(
    '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
      '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
  ),
);
const gsmExtension = new Set(Array.from('\f^{}\\[~]|€'));

/** GSM-7 septets of the text, or undefined when one character needs UCS-2. */
function gsmSeptets(text: string): number | undefined {
  let septets = 0;
  for (const char of text) {
    if (gsmBasic.has(char)) septets += 1;
    else if (gsmExtension.has(char)) septets += 2;
    else return undefined;
  }
  return septets;
}

/** How many SMS segments the text costs. */
export function smsSegments(text: string): number {
  const septets = gsmSeptets(text);
  if (septets !== undefined) return septets <= 160 ? 1 : Math.ceil(septets / 153);
  return text.length <= 70 ? 1 : Math.ceil(text.length / 67);
}
