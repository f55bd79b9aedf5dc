import { describe, expect, it } from 'vitest';
import type { AlertContent } from './alert-content.js';
import { makeAlertContent } from './alert-content.factory.js';
import { renderAll, type AllRenderings } from './render-all.js';

const h1 = (html: string) => /<h1 [^>]*>([^<]*)<\/h1>/u.exec(html)?.[1] ?? '';
const headlines = (cap: string) =>
  [...cap.matchAll(/<headline>([^<]*)<\/headline>/gu)].map((match) => match[1] ?? '');

// What each channel shows first: every message must open with the institution's prefix or name.
const openings: Array<[string, (all: AllRenderings) => string[]]> = [
  ['SMS', (all) => [all.sms.text]],
  ['voice script', (all) => [all.voice.text]],
  ['email', (all) => [all.email.subject, all.email.text, h1(all.email.html)]],
  ['X', (all) => [all.x.text]],
  ['Facebook', (all) => [all.facebook.message]],
  ['signage', (all) => [all.signage.headline]],
  ['CAP', (all) => headlines(all.cap)],
];

// Where each channel marks a drill.
const drillTexts: Array<[string, (all: AllRenderings) => string[]]> = [
  ['SMS', (all) => [all.sms.text]],
  ['voice', (all) => [all.voice.text, all.voice.ssml, all.voice.twiml]],
  ['email', (all) => [all.email.subject, all.email.text, all.email.html]],
  ['X', (all) => [all.x.text]],
  ['Facebook', (all) => [all.facebook.message]],
  ['signage', (all) => [all.signage.headline, all.signage.body]],
  ['CAP', (all) => headlines(all.cap)],
];

const messages: Array<Partial<AlertContent>> = [
  { kind: 'emergency' },
  { kind: 'operations', messageType: 'update', sequence: 1 },
  { kind: 'test' },
  { kind: 'exercise', messageType: 'all_clear', sequence: 2 },
];

describe('every channel', () => {
  it.each(
    openings.flatMap(([channel, texts]) => messages.map((overrides) => [channel, overrides, texts] as const)),
  )('%s starts with the institution prefix (%j)', (_channel, overrides, texts) => {
    for (const text of texts(renderAll(makeAlertContent(overrides), []))) {
      expect(text.startsWith('MIT Alert:') || text.startsWith('MIT Alert.')).toBe(true);
    }
  });

  it('voice names the institution', () => {
    expect(renderAll(makeAlertContent(), []).voice.text).toContain('Massachusetts Institute of Technology');
  });

  it.each(
    drillTexts.flatMap(([channel, texts]) =>
      (['test', 'exercise'] as const).map((kind) => [channel, kind, texts] as const),
    ),
  )('%s marks a %s', (_channel, kind, texts) => {
    const marker = kind === 'test' ? /\bTEST\b|This is a test/u : /\bEXERCISE\b|This is an exercise/u;
    for (const text of texts(renderAll(makeAlertContent({ kind }), []))) expect(text).toMatch(marker);
  });

  it.each([
    ['test', 'Test', 'test'],
    ['exercise', 'Exercise', 'test'],
    ['emergency', 'Actual', 'emergency'],
  ] as const)('a %s has CAP status %s and signage level %s', (kind, status, level) => {
    const all = renderAll(makeAlertContent({ kind }), []);
    expect(all.cap).toContain(`<status>${status}</status>`);
    expect(all.signage.level).toBe(level);
  });

  it.each(drillTexts.map(([channel, texts]) => [channel, texts] as const))(
    '%s does not mark a real emergency as a drill',
    (_channel, texts) => {
      for (const text of texts(renderAll(makeAlertContent(), []))) {
        expect(text).not.toMatch(/\bTEST\b|\bEXERCISE\b|This is a test|This is an exercise/u);
      }
    },
  );
});

describe('preview warnings', () => {
  it('collects every channel’s warnings, naming the channels, each warning once', () => {
    const all = renderAll(
      makeAlertContent({ language: 'ht', links: { page: 'ftp://x', acknowledge: undefined } }),
      [],
    );
    expect(all.previewWarnings).toContain(
      'SMS, Voice, Email, X, Facebook, Signage: No fixed wording for language “ht”: markers and prompts are in English.',
    );
    expect(all.previewWarnings).toContain(
      'SMS, Email, X, Facebook, CAP: The page link “ftp://x” is not an http(s) URL and was left out.',
    );
    expect(all.previewWarnings).toContain('Voice: No voice speaks “ht”: the call uses the English voice.');
    expect(new Set(all.previewWarnings).size).toBe(all.previewWarnings.length);
  });

  it('has none for the standard MIT message', () => {
    expect(renderAll(makeAlertContent(), []).previewWarnings).toEqual(['SMS: The message needs 2 segments.']);
  });
});
