import { describe, expect, it } from 'vitest';
import { makeAlertContent } from './alert-content.factory.js';
import { renderFacebookPost, renderXPost, xLength, xMaxLength } from './social.js';

describe('X weighted length', () => {
  it.each([
    ['plain ASCII', 'hello world', 11],
    ['a long link counts as 23', 'https://emergency.mit.net/alerts/5f0c9a52-6d1b-4c7e-9a43-2b8e1f7d3c10', 23],
    ['a short link counts as 23 too', 'https://t.co/x', 23],
    ['a bare domain is a link', 'see mit.edu', 4 + 23],
    ['CJK counts 2', '校园紧急', 8],
    ['Hangul counts 2', '경보', 4],
    ['an emoji counts 2', '🚨', 2],
    ['a family emoji sequence counts 2', '👨‍👩‍👧', 2],
    ['a flag counts 2', '🇺🇸', 2],
    ['an accented letter decomposed counts 1 after NFC', 'e\u0301', 1],
    ['curly quotes count 1', '“’”', 3],
    ['an ellipsis counts 2', '…', 2],
    ['Cyrillic counts 1', 'жж', 2],
  ])('%s: %j is %i', (_name, text, length) => {
    expect(xLength(text)).toBe(length);
  });
});

describe('X post', () => {
  it.each([
    ['emergency', 'MIT Alert: Natural gas leak reported.'],
    ['test', 'MIT Alert: TEST - Natural gas leak reported.'],
    ['exercise', 'MIT Alert: EXERCISE - Natural gas leak reported.'],
  ] as const)('a %s starts with %j and ends with the page link', (kind, start) => {
    const post = renderXPost(makeAlertContent({ kind }));
    expect(post.text.startsWith(start)).toBe(true);
    expect(post.text.endsWith(' https://emergency.mit.net/alerts/5f0c9a52')).toBe(true);
    expect(post.length).toBe(xLength(post.text));
  });

  it('shortens what, then where, then actions to fit 280, never the link', () => {
    const post = renderXPost(
      makeAlertContent({
        what: 'Police are responding to a report of an armed person. '.repeat(6),
        where: 'Near the Stata Center and along Vassar Street. '.repeat(4),
        actions: 'Shelter in place, lock doors, silence phones. '.repeat(3),
      }),
    );
    expect(post.length).toBeLessThanOrEqual(xMaxLength);
    expect(post.text.endsWith('https://emergency.mit.net/alerts/5f0c9a52')).toBe(true);
    expect(post.warnings[0]).toMatch(/^Shortened to fit 280 characters: the description/u);
  });

  it('counts CJK as 2 when fitting Chinese text', () => {
    const post = renderXPost(
      makeAlertContent({
        language: 'zh',
        what: '天然气泄漏。'.repeat(40),
        where: '10号楼',
        actions: '请远离。',
      }),
    );
    expect(post.length).toBeLessThanOrEqual(xMaxLength);
    expect(Array.from(post.text).length).toBeLessThan(xMaxLength);
  });

  it('links the institution site when there is no page', () => {
    expect(renderXPost(makeAlertContent({ links: {} })).text.endsWith(' https://emergency.mit.net/')).toBe(
      true,
    );
  });
});

describe('Facebook post', () => {
  it('gives the whole message and the page as the link', () => {
    expect(renderFacebookPost(makeAlertContent({ kind: 'test' }))).toEqual({
      message:
        'MIT Alert: TEST - Natural gas leak reported.\n\nWhere: Building 10, Killian Court side.\n\n' +
        'Avoid the area. Follow the instructions of MIT Police.\n\nThis is a test. This is only a test.',
      link: 'https://emergency.mit.net/alerts/5f0c9a52',
      warnings: [],
    });
  });

  it('marks an all-clear', () => {
    const post = renderFacebookPost(makeAlertContent({ messageType: 'all_clear', sequence: 1 }));
    expect(post.message.startsWith('MIT Alert: ALL CLEAR - ')).toBe(true);
  });
});
