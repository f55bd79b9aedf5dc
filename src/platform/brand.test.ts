import { expect, it } from 'vitest';
import { brandOf, contrastRatio, faviconDataUri } from './brand.js';

it('computes WCAG contrast: black on white 21:1, MIT red on white at least 4.5:1, MIT grey on white below it', () => {
  expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
  expect(contrastRatio('#ffffff', '#A31F34')).toBeGreaterThan(4.5);
  expect(contrastRatio('#8A8B8C', '#ffffff')).toBeLessThan(4.5);
});

it('fills in the accent and the default, and makes a favicon that needs no request', () => {
  expect(brandOf({ primaryColour: '#A31F34' })).toEqual({
    primaryColour: '#A31F34',
    accentColour: '#A31F34',
  });
  const icon = faviconDataUri({ primaryColour: '#A31F34', accentColour: '#8A8B8C' });
  expect(icon).toMatch(/^data:image\/svg\+xml,/);
  expect(decodeURIComponent(icon)).toContain('fill="#A31F34"');
  expect(icon.length).toBeLessThan(800);
});
