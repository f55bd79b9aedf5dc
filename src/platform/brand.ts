/**
 * Tocsin's one visual identity, shared by the public site, the server-rendered pages (sign-in,
 * break-glass, registration) and the console: the system's own fonts (nothing downloaded), the
 * institution's colours from the profile (branding), and a small bell as the favicon.
 */

/** The profile's branding, with the accent filled in. */
export interface Brand {
  primaryColour: string;
  accentColour: string;
}

/** The fonts every page uses: the device's own, so no page ever fetches a web font. */
export const systemFontStack = 'system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif';

/** The branding of a profile without one: the console's former navy. */
export const defaultBrand: Brand = { primaryColour: '#0b3d91', accentColour: '#1a1a1a' };

/** The profile's branding with its accent (the primary colour when there is none). */
export function brandOf(branding: { primaryColour: string; accentColour?: string }): Brand {
  return {
    primaryColour: branding.primaryColour,
    accentColour: branding.accentColour ?? branding.primaryColour,
  };
}

function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

/** WCAG 2 contrast ratio of two #rrggbb colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The favicon: a white bell on the primary colour, 32 × 32, a few hundred bytes. */
export function faviconSvg(brand: Brand): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">` +
    `<rect width="32" height="32" rx="6" fill="${brand.primaryColour}"/>` +
    `<path fill="#fff" d="M16 5a7 7 0 0 0-7 7v5.5L6.5 21v1.5h19V21L23 17.5V12a7 7 0 0 0-7-7zm-3.2 19a3.2 3.2 0 0 0 6.4 0z"/>` +
    `</svg>`
  );
}

/** The favicon as a link element's href that needs no request (for pages that may be copied elsewhere). */
export function faviconDataUri(brand: Brand): string {
  return `data:image/svg+xml,${encodeURIComponent(faviconSvg(brand))}`;
}
