import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../test/support/system.js';
import { capSchemaPath, xmllint } from '../alerts/rendering/xmllint.testing.js';
import { ManualClock } from '../platform/clock.js';
import { publicSiteCacheFor } from './public-site-caches.js';
import { allClearTestAlert, closeTestAlert, sendTestAlert } from './public.test-support.js';

let sys: TestSystem;
// A few minutes ahead of the database, whose now() stamps the messages: they are never in the future.
const clock = new ManualClock(new Date(Date.now() + 5 * 60_000));
const text = async (path: string) => {
  const response = await fetch(`${sys.url}${path}`);
  expect(response.status, path).toBe(200);
  return response.text();
};

beforeAll(async () => {
  sys = await startTestSystem({ clock, env: { TOCSIN_PUBLIC_SITE_URL: 'https://emergency.example.edu' } });
}, 60_000);
afterAll(async () => {
  await sys.close();
});

interface Views {
  /** The page's banner class, its heading, and the whole page. */
  banner: string;
  title: string;
  page: string;
  /** What the display shows big: the current item's level, or 'calm'. */
  signage: string;
  signageText: string;
}

/** The front page and the signage view (JSON and page) as served once the site has seen every change. */
async function views(): Promise<Views> {
  await publicSiteCacheFor(sys.ctx).check();
  const page = await text('/');
  const [, banner = '', title = ''] =
    /<section class="banner (\w+)"[^>]*>\s*<h1 id="status">([^<]*)<\/h1>/u.exec(page) ?? [];
  const json = (await (await fetch(`${sys.url}/signage.json`)).json()) as {
    current: { level: string; headline: string; body: string } | null;
    calm: { headline: string; body: string };
  };
  const signagePage = await text('/signage.html');
  const shown = json.current ?? json.calm;
  expect(signagePage, 'the signage page shows what its JSON says').toContain(
    `<h1 id="headline">${shown.headline}</h1>`,
  );
  return { banner, title, page, signage: json.current?.level ?? 'calm', signageText: JSON.stringify(json) };
}

/** The page's banner and the display agree: same state, in words that fit it. */
const agreeing: Record<string, { banner: string; title: string; signage: string }> = {
  normal: { banner: 'normal', title: 'Normal operations', signage: 'calm' },
  emergency: { banner: 'emergency', title: 'Active emergency', signage: 'emergency' },
  test: { banner: 'test', title: 'Test in progress', signage: 'test' },
  allClear: { banner: 'all_clear', title: 'All clear', signage: 'all_clear' },
};
const expectState = async (state: keyof typeof agreeing): Promise<Views> => {
  const v = await views();
  expect({ banner: v.banner, title: v.title, signage: v.signage }).toEqual(agreeing[state]);
  return v;
};

/** The entries of the Atom and RSS feeds, read by an XML parser of their own. */
async function feeds() {
  const atomXml = await text('/feeds/alerts.atom');
  const rssXml = await text('/feeds/alerts.rss');
  expect(xmllint(atomXml).status).toBe(0);
  expect(xmllint(rssXml).status).toBe(0);
  const parser = new XMLParser({
    ignoreAttributes: false,
    isArray: (name) => name === 'entry' || name === 'item',
  });
  const atom = parser.parse(atomXml).feed.entry as Array<Record<string, unknown>>;
  const rss = parser.parse(rssXml).rss.channel.item as Array<Record<string, unknown>>;
  return { atom, rss };
}

describe('the public page and the signage view', () => {
  it('agree in every state: normal, emergency, real all-clear, after its window, test, test over, closed', async () => {
    await expectState('normal');

    const emergencyId = await sendTestAlert(sys.ctx, {
      hazard: 'fire',
      kind: 'emergency',
      where: 'Building 7 lobby',
    });
    let v = await expectState('emergency');
    expect(v.page).toContain('No earlier alerts.');
    expect(v.page).not.toContain('No alerts have been sent yet.');

    await allClearTestAlert(sys.ctx, emergencyId);
    v = await expectState('allClear');
    expect(v.signageText).toContain('ALL CLEAR');
    const afterAllClear = await feeds();
    expect(afterAllClear.atom[0]!.title).toBe('MIT Alert: ALL CLEAR - Fire');
    expect(afterAllClear.atom[0]!.summary).toMatchObject({
      '#text': expect.stringMatching(/^The emergency is over\./u),
    });
    expect(afterAllClear.rss[0]!.title).toBe('MIT Alert: ALL CLEAR - Fire');

    clock.advance(25 * 3_600_000);
    await expectState('normal');

    const testId = await sendTestAlert(sys.ctx, { hazard: 'test', kind: 'test', where: 'Campus-wide' });
    await expectState('test');
    await allClearTestAlert(sys.ctx, testId);
    v = await expectState('normal');
    // The real fire's all-clear is listed below as such; the test's end never says "All clear".
    const testItem = v.page.split('<li>').find((item) => item.includes(testId))!;
    expect(testItem).toContain('Ended');
    expect(testItem).not.toMatch(/All clear/iu);
    expect(await text(`/alerts/${testId}.html`)).not.toMatch(/All clear/iu);
    expect(v.signageText).not.toMatch(/all clear/iu);
    const afterTest = await feeds();
    expect(afterTest.atom[0]!.title).toBe('MIT Alert: TEST - Test - The test is over.');

    const closedId = await sendTestAlert(sys.ctx, {
      hazard: 'evacuate',
      kind: 'emergency',
      where: 'Building 32',
    });
    await expectState('emergency');
    await closeTestAlert(sys.ctx, closedId, 'sent in error');
    await expectState('normal');
  });

  it('gives the Atom and RSS feeds an entry of its own when an alert is closed without an all-clear', async () => {
    const id = await sendTestAlert(sys.ctx, {
      hazard: 'evacuate',
      kind: 'emergency',
      where: 'Building 36',
      what: 'Evacuate now',
    });
    await publicSiteCacheFor(sys.ctx).check();
    const before = await feeds();
    clock.advance(60_000);
    await closeTestAlert(sys.ctx, id, 'false alarm');
    await publicSiteCacheFor(sys.ctx).check();
    const { atom, rss } = await feeds();
    expect(atom.length).toBe(before.atom.length + 1);
    const ended = atom[0]!;
    expect(ended.title).toBe('MIT Alert: CANCELLED - Evacuate');
    expect(ended.id).toMatch(
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/u,
    );
    expect(ended.id).not.toBe(before.atom[0]!.id);
    expect(ended.updated).toBe(clock.now().toISOString());
    expect(JSON.stringify(ended.summary)).toContain('This alert has been cancelled and no longer applies.');
    expect(JSON.stringify(ended)).not.toContain('Evacuate now');
    expect(JSON.stringify(ended)).not.toContain('false alarm');
    const capLink = (ended.link as Array<Record<string, string>>).find((l) => l['@_rel'] === 'related')![
      '@_href'
    ]!;
    const cap = await text(new URL(capLink).pathname);
    expect(xmllint(cap, capSchemaPath).status).toBe(0);
    expect(cap).toContain('<msgType>Cancel</msgType>');
    expect(rss[0]!.guid).toMatchObject({ '#text': ended.id });
    expect(rss[0]!.pubDate).toBe(clock.now().toUTCString());
    const capFeed = await text('/feeds/cap.atom');
    const capEntry = capFeed.split('<entry>').find((e) => e.includes(id))!;
    expect(capEntry).toContain('<title>MIT Alert: CANCELLED - Evacuate</title>');
    // The same id on every render: a reader never sees the end twice.
    expect((await feeds()).atom[0]!.id).toBe(ended.id);
  });
});
