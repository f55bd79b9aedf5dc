import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../test/support/ports.js';
import { startTestSystem, type TestSystem } from '../../../test/support/system.js';
import { capFeedPollJob, inboundCapPurgeJob, queueDueFeedPolls } from './inbound-cap.jobs.js';
import { capIdentifier, nwsCap } from './inbound-cap.test-support.js';
import { pollCapFeed } from './poll-cap-feed.js';

interface Seen {
  path: string;
  accept?: string;
  ifNoneMatch?: string;
  userAgent?: string;
}

let sys: TestSystem;
let server: http.Server;
let base: string;
const seen: Seen[] = [];
// What the feed server answers; tests change it.
const site = {
  etag: '"v1"',
  updated: '2026-11-21T19:30:00Z',
  inlineId: capIdentifier(),
  linkedId: capIdentifier(),
};
const extraEntries: string[] = [];
// Feeds and a CAP document that declare a DTD; its entities point back at this server.
const dtdSite = { dtdId: capIdentifier(), otherId: capIdentifier() };
const dtd = () =>
  `<?tocsin note <!-- ?>\n<!DOCTYPE feed [<!ENTITY headline SYSTEM "${base}/entity"><!ENTITY id "injected">]>\n<?tocsin --> ?>`;

function dtdFeed(): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${dtd()}
<feed xmlns="http://www.w3.org/2005/Atom"><id>&id;</id>
  <entry><id>&id;</id><updated>${site.updated}</updated><link href="/cap/other.xml"/></entry>
</feed>`;
}

function dtdEntriesFeed(): string {
  const entry = (name: string) =>
    `<entry><id>${base}/alerts/${name}</id><updated>${site.updated}</updated><link href="/cap/${name}.xml"/></entry>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><id>${base}/dtd-entries.atom</id>${entry('dtd')}${entry('other')}</feed>`;
}

function feed(): string {
  // The inline alert uses the cap: prefix the feed declares on its root, as CAP-over-Atom feeds do.
  const inline = nwsCap({ identifier: site.inlineId })
    .replace(/^<\?xml[^>]*>\s*/, '')
    .replace('<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">', '<cap:alert>')
    .replace('</alert>', '</cap:alert>')
    .replace(/<(\/?)(?!cap:)([a-zA-Z]+)>/g, '<$1cap:$2>');
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:cap="urn:oasis:names:tc:emergency:cap:1.2">
  <id>${base}/feed.atom</id>
  <title>Current watches, warnings and advisories</title>
  <updated>${site.updated}</updated>
  <entry>
    <id>${base}/alerts/inline</id>
    <updated>${site.updated}</updated>
    <title>Tornado Warning</title>
    <content type="application/cap+xml">${inline}</content>
  </entry>
  <entry>
    <id>${base}/alerts/linked</id>
    <updated>${site.updated}</updated>
    <title>Flood Watch</title>
    <link href="/cap/linked.xml?a=1&amp;b=2"/>
    <cap:event>Flood Watch</cap:event>
  </entry>
  ${extraEntries.join('\n')}
</feed>`;
}

function answer(req: http.IncomingMessage, res: http.ServerResponse): void {
  const path = req.url ?? '';
  seen.push({
    path,
    accept: req.headers.accept,
    ifNoneMatch: req.headers['if-none-match'],
    userAgent: req.headers['user-agent'],
  });
  if (path === '/feed.atom') {
    if (req.headers['if-none-match'] === site.etag) return void res.writeHead(304).end();
    return void res.writeHead(200, { 'content-type': 'application/atom+xml', etag: site.etag }).end(feed());
  }
  if (path.startsWith('/cap/linked.xml')) {
    const doc = nwsCap({
      identifier: site.linkedId,
      event: 'Flood Watch',
      severity: 'Moderate',
      urgency: 'Future',
    });
    return void res.writeHead(200, { 'content-type': 'application/cap+xml' }).end(doc);
  }
  if (path.startsWith('/cap/bad.xml')) return void res.writeHead(200).end(nwsCap({ urgency: 'Soon' }));
  if (path === '/dtd.atom') return void res.writeHead(200).end(dtdFeed());
  if (path === '/dtd-entries.atom') return void res.writeHead(200).end(dtdEntriesFeed());
  if (path === '/cap/dtd.xml') {
    const doc = nwsCap({ identifier: dtdSite.dtdId, headline: 'HEADLINE' }).replace('HEADLINE', '&headline;');
    return void res.writeHead(200).end(doc.replace('?>\n', `?>\n${dtd().replace('feed', 'alert')}\n`));
  }
  if (path === '/cap/other.xml') return void res.writeHead(200).end(nwsCap({ identifier: dtdSite.otherId }));
  res.writeHead(500).end('down for maintenance');
}

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = http.createServer(answer);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  sys = await startTestSystem({
    serve: false,
    env: { TOCSIN_CAP_FEEDS: `${base}/feed.atom,${base}/broken.atom`, TOCSIN_CAP_FEED_POLL_SECONDS: '15' },
  });
}, 60_000);
afterAll(async () => {
  await sys.close();
  await new Promise((resolve) => server.close(resolve));
});

const fromFeed = () =>
  sys.ctx.db
    .selectFrom('inbound_cap')
    .select(['identifier', 'status', 'source', 'msg_type'])
    .where('source', '=', `${base}/feed.atom`)
    .execute();
const feedState = (path: string) =>
  sys.ctx.db
    .selectFrom('cap_feeds')
    .selectAll()
    .where('url', '=', `${base}${path}`)
    .executeTakeFirstOrThrow();

describe('polling CAP feeds', () => {
  it('stores an inline entry and a linked one, fetching the link as application/cap+xml', async () => {
    const poll = await pollCapFeed(sys.ctx, `${base}/feed.atom`);
    expect(poll).toMatchObject({ notModified: false, entries: 2, stored: 2, failed: 0 });
    const rows = await fromFeed();
    expect(rows.map((r) => r.identifier).sort()).toEqual([site.inlineId, site.linkedId].sort());
    expect(rows.every((r) => r.status === 'pending')).toBe(true);
    const link = seen.find((s) => s.path.startsWith('/cap/linked.xml'))!;
    expect(link.path).toBe('/cap/linked.xml?a=1&b=2');
    expect(link.accept).toMatch(/^application\/cap\+xml/);
    expect(link.userAgent).toMatch(/^Tocsin/);
    expect((await feedState('/feed.atom')).etag).toBe('"v1"');
  });

  it('sends If-None-Match on the next poll, gets 304 and stores nothing twice', async () => {
    seen.length = 0;
    const poll = await pollCapFeed(sys.ctx, `${base}/feed.atom`);
    expect(poll.notModified).toBe(true);
    expect(seen).toEqual([expect.objectContaining({ path: '/feed.atom', ifNoneMatch: '"v1"' })]);
    expect(await fromFeed()).toHaveLength(2);
  });

  it('reads a changed feed without fetching entries already read, and refuses an invalid entry', async () => {
    seen.length = 0;
    site.etag = '"v2"';
    extraEntries.push(`<entry><id>${base}/alerts/bad</id><updated>${site.updated}</updated>
      <link type="application/cap+xml" href="${base}/cap/bad.xml"/></entry>`);
    const poll = await pollCapFeed(sys.ctx, `${base}/feed.atom`);
    expect(poll).toMatchObject({ entries: 3, stored: 0, failed: 1 });
    expect(seen.map((s) => s.path)).toEqual(['/feed.atom', '/cap/bad.xml']);
    expect(await fromFeed()).toHaveLength(2);
    const state = await feedState('/feed.atom');
    expect(state.last_error).toMatch(/1 of 3 entries failed; .*element urgency: 'Soon'/);
    expect(state.last_success_at).not.toBeNull();
    extraEntries.length = 0;
  });

  it('stores a re-dated entry again only if its sender and identifier are new', async () => {
    site.etag = '"v3"';
    site.updated = '2026-11-21T19:45:00Z';
    const poll = await pollCapFeed(sys.ctx, `${base}/feed.atom`);
    expect(poll).toMatchObject({ entries: 2, stored: 0, failed: 0 });
    expect(await fromFeed()).toHaveLength(2);
  });

  it('queues each due feed once, records a failing feed and still polls the other', async () => {
    await sys.ctx.db
      .updateTable('cap_feeds')
      .set({ next_poll_at: new Date(0) })
      .execute();
    const due = await queueDueFeedPolls(sys.ctx);
    expect(due.sort()).toEqual([`${base}/broken.atom`, `${base}/feed.atom`]);
    expect(await queueDueFeedPolls(sys.ctx)).toEqual([]);
    site.etag = '"v4"';
    const expired = nwsCap({ identifier: 'third-entry', expires: new Date(Date.now() - 60_000) });
    extraEntries.push(`<entry><id>${base}/alerts/third</id><updated>${site.updated}</updated>
      <content type="application/cap+xml">${expired.replace(/^<\?xml[^>]*>\s*/, '')}</content></entry>`);
    for (const url of due) await capFeedPollJob.handle(sys.ctx, { url });
    const broken = await feedState('/broken.atom');
    expect(broken).toMatchObject({ consecutive_failures: 1, last_success_at: null });
    expect(broken.last_error).toMatch(/answered HTTP 500/);
    const good = await feedState('/feed.atom');
    expect(good).toMatchObject({ consecutive_failures: 0, last_error: null, etag: '"v4"' });
    const third = (await fromFeed()).find((r) => r.identifier === 'third-entry');
    expect(third?.status).toBe('expired');
    extraEntries.length = 0;
  });
});

describe('refusing DTDs in feeds', () => {
  it('refuses a feed that declares a DTD, after a processing instruction too, and records why', async () => {
    seen.length = 0;
    const poll = await pollCapFeed(sys.ctx, `${base}/dtd.atom`);
    expect(poll).toMatchObject({ entries: 0, stored: 0 });
    expect(poll.error).toMatch(/^The feed declares a DTD .*DTDs are not accepted/);
    const state = await feedState('/dtd.atom');
    expect(state.consecutive_failures).toBe(1);
    expect(state.last_error).toMatch(
      /^The feed declares a DTD .*DTDs are not accepted.*Remove it from the feed\.$/,
    );
    expect(seen.map((s) => s.path)).toEqual(['/dtd.atom']);
  });

  it('skips an entry whose CAP document declares a DTD, fetching nothing it names, and stores the rest', async () => {
    seen.length = 0;
    const url = `${base}/dtd-entries.atom`;
    const poll = await pollCapFeed(sys.ctx, url);
    expect(poll).toMatchObject({ entries: 2, stored: 1, failed: 1 });
    const state = await feedState('/dtd-entries.atom');
    expect(state.last_error).toMatch(
      /^1 of 2 entries failed; entry \S+\/alerts\/dtd .*: The document declares a DTD .*DTDs are not accepted/,
    );
    expect(seen.map((s) => s.path)).toEqual(['/dtd-entries.atom', '/cap/dtd.xml', '/cap/other.xml']);
    const rows = await sys.ctx.db
      .selectFrom('inbound_cap')
      .select('identifier')
      .where('source', '=', url)
      .execute();
    expect(rows).toEqual([{ identifier: dtdSite.otherId }]);
  });
});

describe('retention', () => {
  it('expires overdue pending messages and deletes old dismissed ones with a deletion receipt', async () => {
    const [a, b] = await fromFeed();
    await sys.ctx.db
      .updateTable('inbound_cap')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('identifier', '=', a!.identifier)
      .execute();
    await sys.ctx.db
      .updateTable('inbound_cap')
      .set({
        status: 'dismissed',
        dismiss_reason: 'Not for campus',
        handled_by: 'test',
        handled_at: new Date(Date.now() - 31 * 86_400_000),
      })
      .where('identifier', '=', b!.identifier)
      .execute();
    await inboundCapPurgeJob.handle(sys.ctx, {});
    const left = await fromFeed();
    expect(left.find((r) => r.identifier === a!.identifier)?.status).toBe('expired');
    expect(left.find((r) => r.identifier === b!.identifier)).toBeUndefined();
    const receipt = await sys.ctx.db
      .selectFrom('audit_log')
      .select('metadata')
      .where('action', '=', 'retention.purge')
      .where('target_type', '=', 'inbound_cap')
      .executeTakeFirstOrThrow();
    expect(receipt.metadata).toMatchObject({ inboundCap: 1 });
  });
});
