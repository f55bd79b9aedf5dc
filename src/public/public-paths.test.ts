import { describe, expect, it } from 'vitest';
import { parsePublicPath, relativeLink, sitePaths } from './public-paths.js';

const id = '0b5b6a52-4a0e-4a4f-9d1b-2f6a1c0e9a11';
const languages = ['en', 'es'];

describe('public site paths', () => {
  it.each([
    ['', { file: 'home', lang: 'en' }],
    ['index.html', { file: 'home', lang: 'en' }],
    ['index.es.html', { file: 'home', lang: 'es' }],
    [`alerts/${id}.html`, { file: 'alert', id, lang: 'en' }],
    [`alerts/${id}.es.html`, { file: 'alert', id, lang: 'es' }],
    [`alerts/${id}.json`, { file: 'alertJson', id }],
    [`cap/${id}.xml`, { file: 'cap', id }],
    [`cap/${id}.3.xml`, { file: 'cap', id, sequence: 3 }],
    ['archive/index.html', { file: 'archive', filter: {}, lang: 'en' }],
    ['archive/2026.html', { file: 'archive', filter: { year: 2026 }, lang: 'en' }],
    ['archive/test.es.html', { file: 'archive', filter: { kind: 'test' }, lang: 'es' }],
    [
      'archive/2025-emergency.html',
      { file: 'archive', filter: { year: 2025, kind: 'emergency' }, lang: 'en' },
    ],
    ['feeds/alerts.atom', { file: 'atom' }],
    ['feeds/alerts.rss', { file: 'rss' }],
    ['feeds/cap.atom', { file: 'capFeed' }],
    ['alerts.json', { file: 'json' }],
    ['signage.html', { file: 'signage', lang: 'en' }],
    ['signage.es.json', { file: 'signageJson', lang: 'es' }],
    ['signage.js', { file: 'signageScript' }],
  ])('reads %s', (path, expected) => {
    expect(parsePublicPath(path, languages)).toEqual(expected);
  });

  it.each([
    'index.fr.html',
    'alerts/not-an-id.html',
    `alerts/${id.toUpperCase()}.html`,
    `cap/${id}.x.xml`,
    'archive/20260.html',
    'archive/fire.html',
    '../etc/passwd',
    'feeds/other.atom',
    'index.html/',
  ])('names nothing with %s', (path) => {
    expect(parsePublicPath(path, languages)).toBeNull();
  });

  it('builds every path it reads back, and relative links between them', () => {
    for (const lang of languages) {
      expect(parsePublicPath(sitePaths.alert(id, lang, 'en'), languages)).toMatchObject({
        file: 'alert',
        lang,
      });
      expect(
        parsePublicPath(sitePaths.archive({ year: 2026, kind: 'test' }, lang, 'en'), languages),
      ).toMatchObject({
        file: 'archive',
        filter: { year: 2026, kind: 'test' },
      });
    }
    expect(relativeLink(`alerts/${id}.html`, 'index.html')).toBe('../index.html');
    expect(relativeLink('index.html', `alerts/${id}.html`)).toBe(`alerts/${id}.html`);
    expect(relativeLink('archive/2026.html', 'archive/index.html')).toBe('index.html');
    expect(relativeLink('index.html', 'index.es.html')).toBe('index.es.html');
  });
});
