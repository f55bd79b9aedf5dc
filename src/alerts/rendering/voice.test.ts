import { describe, expect, it } from 'vitest';
import { makeAlertContent } from './alert-content.factory.js';
import { renderVoice, voiceFor } from './voice.js';
import { xmllint } from './xmllint.testing.js';

const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe('voice rendering', () => {
  it('says the prefix and the institution name first', () => {
    expect(
      renderVoice(makeAlertContent()).text.startsWith(
        'MIT Alert. A message from Massachusetts Institute of Technology.',
      ),
    ).toBe(true);
  });

  it('speaks the message twice with "I repeat." between, then offers the keys', () => {
    const voice = renderVoice(makeAlertContent());
    expect(occurrences(voice.text, 'Natural gas leak reported.')).toBe(2);
    expect(occurrences(voice.text, 'Avoid the area. Follow the instructions of MIT Police.')).toBe(2);
    expect(voice.text.indexOf('I repeat.')).toBeGreaterThan(voice.text.indexOf('Natural gas leak reported.'));
    expect(voice.text.endsWith('Press 1 to hear this message again; press 2 if you need help.')).toBe(true);
  });

  it.each([
    ['test', 'This is a test. This is only a test.'],
    ['exercise', 'This is an exercise. This is only an exercise.'],
  ] as const)('marks a %s before the message and in the repeat', (kind, notice) => {
    const voice = renderVoice(makeAlertContent({ kind }));
    expect(occurrences(voice.text, notice)).toBe(2);
    expect(occurrences(voice.twiml, notice)).toBe(2);
    expect(occurrences(voice.ssml, notice)).toBe(2);
  });

  it.each([
    ['update', 'Update.'],
    ['all_clear', 'All clear.'],
    ['cancel', 'Cancelled.'],
  ] as const)('reads the %s marker as %j rather than in capitals', (messageType, spoken) => {
    expect(renderVoice(makeAlertContent({ messageType, sequence: 1 })).text).toContain(spoken);
  });

  it('gathers one digit posted to the acknowledgement URL, in the mapped voice', () => {
    const { twiml } = renderVoice(makeAlertContent());
    expect(twiml).toContain(
      '<Gather numDigits="1" action="https://tocsin.mit.edu/a/5f0c9a52/ack" method="POST"',
    );
    expect(twiml).toContain('<Say voice="Polly.Joanna" language="en-US">');
    expect(twiml.startsWith('<?xml version="1.0" encoding="UTF-8"?><Response>')).toBe(true);
  });

  it('escapes template text in TwiML and SSML so both stay well-formed', () => {
    const voice = renderVoice(
      makeAlertContent({
        what: 'Fire at <Building 10> & "Lobby 7"',
        links: { acknowledge: 'https://tocsin.mit.edu/ack?a=1&b=2' },
      }),
    );
    expect(voice.twiml).toContain('Fire at &lt;Building 10&gt; &amp; &quot;Lobby 7&quot;');
    expect(voice.twiml).toContain('action="https://tocsin.mit.edu/ack?a=1&amp;b=2"');
    expect(xmllint(voice.twiml).status).toBe(0);
    expect(xmllint(voice.ssml).status).toBe(0);
  });

  it('drops characters XML forbids', () => {
    const voice = renderVoice(makeAlertContent({ what: 'Gas\u0000 leak\u0007' }));
    expect(voice.twiml).toContain('Gas leak.');
    expect(xmllint(voice.twiml).status).toBe(0);
  });

  it('without an acknowledgement link, reads the message twice without keys, and says so only when answers were asked for', () => {
    const voice = renderVoice(makeAlertContent({ links: {} }));
    expect(voice.twiml).not.toContain('<Gather');
    expect(voice.text).not.toContain('Press 1');
    expect(voice.warnings).toEqual([]);
    const asked = renderVoice(makeAlertContent({ links: {}, acknowledgementRequested: true }));
    expect(asked.twiml).not.toContain('<Gather');
    expect(asked.warnings).toEqual([
      'Voice calls cannot take answers (no acknowledgement link, so no keys to press): people answer by SMS reply or the email link.',
    ]);
  });

  it.each([
    ['en', 'en-US', 'Polly.Joanna'],
    ['es', 'es-US', 'Polly.Lupe'],
    ['es-MX', 'es-US', 'Polly.Lupe'],
    ['zh', 'cmn-CN', 'Polly.Zhiyu'],
    ['fr', 'fr-CA', 'Polly.Chantal'],
    ['ar', 'arb', 'Polly.Zeina'],
  ])('speaks %s as %s with %s', (language, tag, voice) => {
    expect(voiceFor(language)).toEqual({ language: tag, voice });
  });

  it('speaks Spanish with Spanish prompts', () => {
    const voice = renderVoice(makeAlertContent({ language: 'es', kind: 'test' }));
    expect(voice.language).toBe('es-US');
    expect(voice.text).toContain('Esto es una prueba.');
    expect(voice.text).toContain('Repito.');
    expect(voice.text).toContain('Pulse 1');
    expect(voice.warnings).toEqual([]);
  });

  it('falls back to the English voice with a warning for a language no voice speaks', () => {
    const voice = renderVoice(makeAlertContent({ language: 'ht' }));
    expect(voice.language).toBe('en-US');
    expect(voice.warnings).toContain('No voice speaks “ht”: the call uses the English voice.');
  });
});
