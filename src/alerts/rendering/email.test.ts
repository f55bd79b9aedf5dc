import { describe, expect, it } from 'vitest';
import { makeAlertContent } from './alert-content.factory.js';
import { renderEmail } from './email.js';
import { contrastRatio, levelColors } from './level.js';

describe('email rendering', () => {
  it.each([
    ['emergency', 'alert', 'MIT Alert: Natural gas leak reported'],
    ['test', 'alert', 'MIT Alert: [TEST] Natural gas leak reported'],
    ['exercise', 'alert', 'MIT Alert: [EXERCISE] Natural gas leak reported'],
    ['emergency', 'update', 'MIT Alert: [UPDATE] Natural gas leak reported'],
    ['test', 'all_clear', 'MIT Alert: [TEST] Natural gas leak reported'],
    ['operations', 'cancel', 'MIT Alert: [CANCELLED] Natural gas leak reported'],
  ] as const)('a %s %s has the subject %j', (kind, messageType, subject) => {
    expect(renderEmail(makeAlertContent({ kind, messageType })).subject).toBe(subject);
  });

  it('keeps the subject on one line so template text cannot add mail headers', () => {
    const { subject } = renderEmail(makeAlertContent({ what: 'Gas leak\r\nBcc: everyone@example.com' }));
    expect(subject).not.toMatch(/[\r\n]/u);
  });

  it('writes a plain-text part with headings, links and the time in the institution zone', () => {
    const { text } = renderEmail(makeAlertContent());
    expect(text.startsWith('MIT Alert: Natural gas leak reported\n\n')).toBe(true);
    expect(text).toContain('Where:\nBuilding 10, Killian Court side');
    expect(text).toContain('What to do:\nAvoid the area.');
    expect(text).toContain('Confirm that you received this alert: https://tocsin.mit.edu/a/5f0c9a52/ack');
    expect(text).toContain('Unsubscribe from MIT Alert emails: https://tocsin.mit.edu/unsubscribe/abc123');
    expect(text).toMatch(/Sent: Saturday, November 21, 2026 at 10:00\sAM EST/u);
  });

  it('writes accessible HTML: language, title, headings, descriptive links', () => {
    const { html } = renderEmail(makeAlertContent());
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en" dir="ltr">')).toBe(true);
    expect(html).toContain('<title>MIT Alert: Natural gas leak reported</title>');
    expect(html).toMatch(/<h1 [^>]*>MIT Alert: Natural gas leak reported<\/h1>/u);
    expect(html.match(/<h2 /gu)).toHaveLength(3);
    expect(html).toContain(
      '<a href="https://tocsin.mit.edu/a/5f0c9a52/ack" style="color:#0000CC;text-decoration:underline;">Confirm that you received this alert</a>',
    );
    expect(html).toContain('>Unsubscribe from MIT Alert emails</a>');
    expect(html).toContain('>More information</a>');
  });

  it('needs no images or external resources', () => {
    const { html } = renderEmail(makeAlertContent());
    expect(html).not.toMatch(/<img|<link|<script|<style|src=|url\(/iu);
  });

  it('uses high-contrast colours for text, links and the banner', () => {
    const { html } = renderEmail(makeAlertContent());
    expect(html).toContain('background-color:#8B0000;color:#FFFFFF');
    expect(contrastRatio('#0000CC', '#FFFFFF')).toBeGreaterThanOrEqual(7);
    expect(
      contrastRatio(levelColors.emergency.background, levelColors.emergency.foreground),
    ).toBeGreaterThanOrEqual(7);
  });

  it('escapes template text and links', () => {
    const { html } = renderEmail(
      makeAlertContent({
        what: '<script>alert("x")</script> & more',
        links: { page: 'https://emergency.mit.net/a?x=1&y="2"' },
      }),
    );
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more');
    expect(html).toContain('href="https://emergency.mit.net/a?x=1&amp;y=%222%22"');
  });

  it('never makes a javascript: link', () => {
    const email = renderEmail(
      makeAlertContent({ links: { page: 'javascript:alert(1)', acknowledge: 'https://a.example/ack' } }),
    );
    expect(email.html).not.toContain('javascript:');
    expect(email.text).not.toContain('javascript:');
    expect(email.warnings).toEqual([
      'The page link “javascript:alert(1)” is not an http(s) URL and was left out.',
    ]);
  });

  it('keeps the template line breaks in HTML', () => {
    const { html } = renderEmail(makeAlertContent({ actions: 'Leave the building.\nGo to Killian Court.' }));
    expect(html).toContain('Leave the building.<br>Go to Killian Court.');
  });

  it.each([
    ['test', 'This is a test. This is only a test.'],
    ['exercise', 'This is an exercise. This is only an exercise.'],
  ] as const)('marks a %s at the top and the bottom of both parts', (kind, notice) => {
    const email = renderEmail(makeAlertContent({ kind }));
    expect(email.text.split(notice.toUpperCase())).toHaveLength(3);
    expect(email.html.split(notice)).toHaveLength(3);
  });

  it('writes Spanish with Spanish headings and lang="es"', () => {
    const email = renderEmail(makeAlertContent({ language: 'es', kind: 'exercise' }));
    expect(email.subject).toBe('MIT Alert: [SIMULACRO] Natural gas leak reported');
    expect(email.html).toContain('<html lang="es" dir="ltr">');
    expect(email.html).toContain('>Qué hacer</h2>');
    expect(email.text).toContain('sábado, 21 de noviembre de 2026');
  });

  it('sets right-to-left direction for Arabic', () => {
    expect(renderEmail(makeAlertContent({ language: 'ar' })).html).toContain('<html lang="ar" dir="rtl">');
  });

  it('leaves out the links it was not given', () => {
    const email = renderEmail(makeAlertContent({ links: {} }));
    expect(email.html).not.toContain('<a ');
    expect(email.warnings).toEqual([]);
  });
});
