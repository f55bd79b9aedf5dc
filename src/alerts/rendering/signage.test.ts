import { describe, expect, it } from 'vitest';
import { makeAlertContent } from './alert-content.factory.js';
import { contrastRatio, levelColors, levelFor, type AlertLevel } from './level.js';
import { renderSignage } from './signage.js';

describe('signage rendering', () => {
  it.each([
    ['emergency', 'alert', 'emergency'],
    ['emergency', 'update', 'emergency'],
    ['emergency', 'all_clear', 'all_clear'],
    ['emergency', 'cancel', 'info'],
    ['operations', 'alert', 'warning'],
    ['operations', 'all_clear', 'all_clear'],
    ['test', 'alert', 'test'],
    ['test', 'all_clear', 'test'],
    ['exercise', 'alert', 'test'],
  ] as const)('a %s %s shows at level %s', (kind, messageType, level) => {
    expect(levelFor({ kind, messageType })).toBe(level);
  });

  it.each(Object.entries(levelColors) as Array<[AlertLevel, { background: string; foreground: string }]>)(
    'the %s colours have at least 7:1 contrast',
    (_level, pair) => {
      expect(contrastRatio(pair.background, pair.foreground)).toBeGreaterThanOrEqual(7);
    },
  );

  it('computes WCAG contrast ratios', () => {
    expect(contrastRatio('#000000', '#FFFFFF')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#777777')).toBeCloseTo(1, 5);
  });

  it('gives a short headline, body, actions, colours and times as plain JSON', () => {
    const signage = renderSignage(makeAlertContent({ expiresAt: new Date('2026-11-21T19:00:00Z') }));
    expect(signage).toEqual({
      alertId: '5f0c9a52-6d1b-4c7e-9a43-2b8e1f7d3c10',
      sequence: 0,
      language: 'en',
      level: 'emergency',
      headline: 'MIT Alert: Gas leak',
      body: 'Natural gas leak reported. Where: Building 10, Killian Court side.',
      actions: 'Avoid the area. Follow the instructions of MIT Police.',
      color: { background: '#8B0000', foreground: '#FFFFFF' },
      link: 'https://emergency.mit.net/alerts/5f0c9a52',
      updatedAt: '2026-11-21T15:00:00.000Z',
      expiresAt: '2026-11-21T19:00:00.000Z',
      warnings: [],
    });
    expect(JSON.parse(JSON.stringify(signage))).toEqual(signage);
  });

  it.each([
    ['test', 'MIT Alert: TEST - Gas leak', 'This is a test. This is only a test.'],
    ['exercise', 'MIT Alert: EXERCISE - Gas leak', 'This is an exercise. This is only an exercise.'],
  ] as const)('marks a %s in the headline and the body', (kind, headline, notice) => {
    const signage = renderSignage(makeAlertContent({ kind }));
    expect(signage.headline).toBe(headline);
    expect(signage.body.startsWith(notice)).toBe(true);
    expect(signage.level).toBe('test');
  });

  it('marks an all-clear and has no expiry when none is given', () => {
    const signage = renderSignage(makeAlertContent({ messageType: 'all_clear', sequence: 2 }));
    expect(signage).toMatchObject({
      level: 'all_clear',
      headline: 'MIT Alert: ALL CLEAR - Gas leak',
      expiresAt: null,
    });
  });
});
