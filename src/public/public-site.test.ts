import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../test/support/system.js';
import { capSchemaPath, xmllint } from '../alerts/rendering/xmllint.testing.js';
import { EventStreamClient } from '../alerts/tracking/event-stream-client.js';
import { publicSiteCacheFor } from './public-site-caches.js';
import { allClearTestAlert, closeTestAlert, sendTestAlert, updateTestAlert } from './public.test-support.js';

let sys: TestSystem;
const get = (path: string, headers: Record<string, string> = {}) => fetch(`${sys.url}${path}`, { headers });
const text = async (path: string) => {
  const response = await get(path);
  expect(response.status, path).toBe(200);
  return response.text();
};
/** Wait until the process's public site has seen the latest change. */
const settle = async () => {
  await publicSiteCacheFor(sys.ctx).check();
};

beforeAll(async () => {
  sys = await startTestSystem({ env: { TOCSIN_PUBLIC_SITE_URL: 'https://emergency.example.edu' } });
}, 60_000);
afterAll(async () => {
  await sys.close();
});

describe('the emergency page', () => {
  it('shows normal operations, the emergency contacts and how to sign up before any alert', async () => {
    const response = await get('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const page = await response.text();
    expect(page).toContain('Normal operations');
    expect(page).toContain('617-253-1212');
    expect(page).toContain('100 from a campus phone');
    expect(page).toContain('mitpd@mit.edu');
    expect(page).toContain('/register');
    expect(page).toContain('No alerts have been sent yet.');
  });

  it('answers with an ETag, a short max-age with stale-while-revalidate, and 304 to a conditional GET', async () => {
    const response = await get('/');
    const etag = response.headers.get('etag')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(response.headers.get('cache-control')).toBe(
      'public, max-age=5, stale-while-revalidate=5, stale-if-error=86400',
    );
    const again = await get('/', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const gzipped = await fetch(`${sys.url}/`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gzipped.headers.get('content-encoding')).toBe('gzip');
    expect(gzipped.headers.get('etag')).toBe(etag);
  });

  it('answers repeat requests from memory before routing, with the same headers the route sends', async () => {
    const headersOf = (r: Response) => {
      const h = Object.fromEntries(r.headers.entries());
      delete h.date;
      delete h['x-request-id'];
      delete h['keep-alive'];
      delete h.connection;
      return h;
    };
    const first = await get('/archive/index.html');
    const again = await get('/archive/index.html');
    expect(again.status).toBe(200);
    expect(await again.text()).toBe(await first.text());
    expect(headersOf(again)).toEqual(headersOf(first));
    expect(first.headers.get('x-request-id')).not.toBeNull();
    expect(again.headers.get('x-request-id')).toBeNull();
    const head = await fetch(`${sys.url}/archive/index.html`, { method: 'HEAD' });
    expect(head.headers.get('etag')).toBe(first.headers.get('etag'));
    const metrics = await sys.ctx.metrics.registry.getSingleMetricAsString('tocsin_http_requests_total');
    expect(metrics).toMatch(/route="\/ \(public fast path\)",status="200"\} [1-9]/);
  });

  it('renders each page once per change, not once per request', async () => {
    const cache = publicSiteCacheFor(sys.ctx);
    await text('/');
    const before = cache.renders;
    const bodies = await Promise.all(Array.from({ length: 20 }, () => text('/')));
    expect(new Set(bodies).size).toBe(1);
    expect(cache.renders).toBe(before);
    await sendTestAlert(sys.ctx, { hazard: 'campus_closure', kind: 'operations', where: 'Cambridge campus' });
    await settle();
    await Promise.all(Array.from({ length: 20 }, () => text('/')));
    expect(cache.renders).toBe(before + 1);
    const id = (await cache.current()).site.alerts[0]!.id;
    await closeTestAlert(sys.ctx, id, 'reopened at noon');
  });

  it('shows an emergency with what to do, its updates in order, Spanish where written, then the all-clear', async () => {
    const alertId = await sendTestAlert(sys.ctx, {
      hazard: 'shelter_in_place',
      kind: 'emergency',
      where: 'Building W20 (Student Center)',
    });
    await settle();
    let page = await text('/');
    expect(page).toContain('Active emergency');
    expect(page).toContain('Building W20 (Student Center)');
    expect(page).toContain('What to do');
    expect(page).toMatch(/class="banner emergency"/);
    await updateTestAlert(sys.ctx, alertId, 'Stay inside; police are clearing the building floor by floor.');
    await settle();
    page = await text('/');
    expect(page).toContain('police are clearing the building floor by floor');
    const alertPage = await text(`/alerts/${alertId}.html`);
    expect(alertPage.indexOf('Update')).toBeLessThan(alertPage.indexOf('Alert:'));
    const spanish = await text(`/index.es.html`);
    expect(spanish).toContain('lang="es"');
    expect(spanish).toContain('Emergencia activa');
    await allClearTestAlert(sys.ctx, alertId);
    await settle();
    page = await text('/');
    expect(page).toMatch(/class="banner all_clear"/);
    expect(page).toContain('All clear');
  });

  it('speaks Spanish on /?lang=es: the contacts, the Dial 100 note, and the alert’s title on every page', async () => {
    // ?lang= names the page in that language, as the language links do.
    const asked = await fetch(`${sys.url}/?lang=es`, { redirect: 'manual' });
    expect(asked.status).toBe(302);
    expect(asked.headers.get('location')).toBe('/index.es.html');
    const unknown = await get('/?lang=xx');
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('no page in \\"xx\\"');
    const calm = await text('/?lang=es');
    expect(calm).toContain('Policía del MIT (emergencias)');
    expect(calm).toContain('Marque 100 desde un teléfono del MIT');
    expect(calm).not.toMatch(/Dial 100|Emergency services|MIT Police/);
    expect(await text('/')).toContain('Dial 100 from an MIT phone');

    const alertId = await sendTestAlert(sys.ctx, {
      hazard: 'active_threat',
      kind: 'emergency',
      where: 'Building W20',
      what: 'Gas leak in W20. Avoid the area.',
      translations: { es: { what: 'Fuga de gas en W20. Evite la zona.' } },
    });
    // An update in English only: Spanish readers are told the details are in English; the title stays.
    await updateTestAlert(sys.ctx, alertId, 'Leave by the east exit.');
    await settle();
    const title =
      /<h[12] id="(?:a-[0-9a-f-]+|title)">(?:<span class="badge">[^<]*<\/span\s*>)*([^<]*)<\/h[12]>/;
    const home = await text('/?lang=es');
    expect(title.exec(home)?.[1]).toBe('Fuga de gas en W20');
    expect(home).toContain('Los detalles están en inglés.');
    const page = await text(`/alerts/${alertId}?lang=es`);
    expect(title.exec(page)?.[1]).toBe('Fuga de gas en W20');
    expect(page).toContain('<title>Fuga de gas en W20 (Emergencia)');
    expect(await text('/archive/index.html?lang=es')).toMatch(/>\s*Fuga de gas en W20<\/a/);
    expect(title.exec(await text(`/alerts/${alertId}.html`))?.[1]).toBe('Active threat');
    await allClearTestAlert(sys.ctx, alertId);
    await closeTestAlert(sys.ctx, alertId);
  });

  it('marks tests and exercises as such and never calls them an emergency', async () => {
    const before = await text('/');
    const testId = await sendTestAlert(sys.ctx, { hazard: 'test', kind: 'test', where: 'Campus-wide' });
    await settle();
    const page = await text(`/alerts/${testId}.html`);
    expect(page).toContain('This is a test. This is only a test.');
    expect(page).toMatch(/<span class="badge">\s*Test\s*<\/span\s*>/);
    const home = await text('/');
    expect(home).not.toBe(before);
    expect(home).toContain('This is a test. This is only a test.');
    await allClearTestAlert(sys.ctx, testId);
    await closeTestAlert(sys.ctx, testId);
  });

  it('leaves out alerts that were not sent to a public channel', async () => {
    const privateId = await sendTestAlert(sys.ctx, {
      hazard: 'utility_outage',
      kind: 'operations',
      where: 'Building 66',
      channels: ['sms', 'email'],
    });
    await settle();
    expect(await text('/')).not.toContain(privateId);
    expect((await get(`/alerts/${privateId}.html`)).status).toBe(404);
    expect((await get(`/cap/${privateId}.xml`)).status).toBe(404);
  });

  it('weighs under 30 KB and asks nothing of any other site', async () => {
    for (const path of ['/', '/index.es.html', '/archive/index.html', '/signage.html']) {
      const body = await text(path);
      expect(Buffer.byteLength(body), path).toBeLessThan(30 * 1024);
      expect(body, path).not.toMatch(/<(script|img|iframe|link)[^>]+(src|href)="(https?:)?\/\//i);
      expect(body, path).not.toMatch(/@import|url\(/i);
      // One identity with the console: the system's fonts (no web font), the profile's colours, a favicon in the page.
      expect(body, path).not.toMatch(/@font-face|\.woff2?\b|\.ttf\b/i);
      expect(body, path).toContain('system-ui');
      expect(body, path).toContain('<link rel="icon" href="data:image/svg+xml,');
      // The display's colours are its state's; every other page carries the institution's.
      if (path !== '/signage.html') expect(body, path).toContain('#A31F34');
    }
  });
});

describe('the archive', () => {
  it('lists every public alert with filters by year and type, each a permanent link', async () => {
    const all = await text('/archive/index.html');
    const year = new Date().getFullYear();
    expect(all).toContain(`archive/${year}.html`.replace('archive/', ''));
    const tests = await text('/archive/test.html');
    expect(tests).toContain('Test');
    expect(tests).not.toContain('Shelter in place');
    const emergencies = await text(`/archive/${year}-emergency.html`);
    expect(emergencies).toContain('Shelter in place');
    expect((await get('/archive/1999.html')).status).toBe(404);
  });

  it('refuses paths that name nothing with a clear 404', async () => {
    for (const path of [
      '/alerts/not-an-id.html',
      '/cap/00000000-0000-0000-0000-000000000000.xml',
      '/index.fr.html',
      '/nothing.html',
    ]) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not_found');
    }
  });
});

describe('feeds', () => {
  it('serves Atom, RSS, a CAP Atom feed and JSON with their content types and conditional GET', async () => {
    const cases: Array<[string, string]> = [
      ['/feeds/alerts.atom', 'application/atom+xml; charset=utf-8'],
      ['/feeds/alerts.rss', 'application/rss+xml; charset=utf-8'],
      ['/feeds/cap.atom', 'application/atom+xml; charset=utf-8'],
      ['/alerts.json', 'application/json; charset=utf-8'],
    ];
    for (const [path, type] of cases) {
      const response = await get(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type'), path).toBe(type);
      const etag = response.headers.get('etag')!;
      expect((await get(path, { 'if-none-match': etag })).status, path).toBe(304);
      const body = await response.text();
      if (!path.endsWith('.json')) expect(xmllint(body).status, path).toBe(0);
    }
    const atom = await text('/feeds/alerts.atom');
    expect(atom).toContain('https://emergency.example.edu/alerts/');
    expect(atom).not.toContain('Building 66');
  });

  it('publishes every message as a CAP 1.2 document valid against the OASIS schema', async () => {
    const site = await publicSiteCacheFor(sys.ctx).current();
    const shelter = site.site.alerts.find((a) => a.hazard === 'shelter_in_place')!;
    expect(shelter.messages.length).toBe(3);
    for (const message of shelter.messages) {
      const response = await get(`/cap/${shelter.id}.${message.sequence}.xml`);
      expect(response.headers.get('content-type')).toBe('application/cap+xml; charset=utf-8');
      const xml = await response.text();
      const lint = xmllint(xml, capSchemaPath);
      expect(lint.stderr).toMatch(/validates/);
      expect(lint.status).toBe(0);
      if (message.sequence > 0) expect(xml).toMatch(/<references>/);
    }
    const latest = await text(`/cap/${shelter.id}.xml`);
    expect(latest).toContain('<msgType>Update</msgType>');
    expect(latest).toContain('<responseType>AllClear</responseType>');
  });

  it('puts current alerts in the CAP feed with the CAP document inline, each valid', async () => {
    const feed = await text('/feeds/cap.atom');
    const documents = [
      ...feed.matchAll(/<alert xmlns="urn:oasis:names:tc:emergency:cap:1\.2">[\s\S]*?<\/alert>/g),
    ];
    expect(documents.length).toBeGreaterThan(0);
    for (const [document] of documents) expect(xmllint(document, capSchemaPath).status).toBe(0);
  });

  it('publishes a CAP Cancel for an alert closed without an all-clear, so displays take it down', async () => {
    const id = await sendTestAlert(sys.ctx, {
      hazard: 'shelter_in_place',
      kind: 'emergency',
      where: 'Building 32',
      what: 'Report of a suspicious package at Building 32',
    });
    await updateTestAlert(sys.ctx, id, 'Stay away from the Vassar Street entrance.');
    await settle();
    expect(await text(`/cap/${id}.xml`)).toContain('<msgType>Update</msgType>');
    await closeTestAlert(sys.ctx, id, 'caller retracted: it was a lunch box');
    await settle();
    const cancel = await text(`/cap/${id}.xml`);
    expect(xmllint(cancel, capSchemaPath).status).toBe(0);
    expect(cancel).toContain('<msgType>Cancel</msgType>');
    expect(cancel).toMatch(new RegExp(`<identifier>[^<]+\\.${id}\\.2</identifier>`));
    expect(cancel).toMatch(
      new RegExp(`<references>[^,]+,[^,]+\\.${id}\\.0,[^ ]+ [^,]+,[^,]+\\.${id}\\.1,[^<]+</references>`),
    );
    expect(cancel).toContain('<responseType>None</responseType>');
    expect(cancel).toContain('<urgency>Past</urgency>');
    // It says what ended, never the alert's words as if they were current.
    expect(cancel).toContain('<headline>MIT Alert: Cancelled: Shelter in place</headline>');
    expect(cancel).not.toContain('Report of a suspicious package');
    expect(cancel).not.toContain('<instruction>');
    expect(cancel).not.toContain('lunch box');
    expect(await text(`/cap/${id}.2.xml`)).toBe(cancel);
    const feed = await text('/feeds/cap.atom');
    const entry = feed.split('<entry>').find((e) => e.includes(id))!;
    expect(entry).toContain(`/cap/${id}.2.xml`);
    expect(entry).toContain('<msgType>Cancel</msgType>');
    expect(feed).not.toContain('lunch box');
    // The alert's own messages are unchanged: the Cancel is CAP's, not a message sent to anyone.
    expect((await get(`/cap/${id}.3.xml`)).status).toBe(404);
    expect(await text(`/cap/${id}.1.xml`)).toContain('<msgType>Update</msgType>');
  });

  it('gives integrations JSON without audiences, senders or the Clery record', async () => {
    const json = (await (await get('/alerts.json')).json()) as Record<string, unknown>;
    expect(json).toHaveProperty('status.state');
    const serialized = JSON.stringify(json);
    expect(serialized).not.toMatch(/audience|confirmedBy|Sgt\. Test|public site tests/);
  });
});

describe('the signage view', () => {
  it('streams a new display state within moments of a send', async () => {
    const stream = await EventStreamClient.open(`${sys.url}/signage/events?lang=en`);
    try {
      expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      const first = await stream.next((e) => e.event === 'signage');
      await sendTestAlert(sys.ctx, { hazard: 'fire', kind: 'emergency', where: 'Building 7 lobby' });
      const started = Date.now();
      const next = await stream.next((e) => e.event === 'signage' && e.data.includes('Building 7 lobby'), {
        from: stream.events.indexOf(first) + 1,
        timeoutMs: 5000,
      });
      expect(Date.now() - started).toBeLessThan(2000);
      expect(next.id).not.toBe(first.id);
      expect(JSON.parse(next.data)).toMatchObject({ current: { level: 'emergency' } });
    } finally {
      stream.close();
    }
  });

  it('refuses a language the site does not have, and a client that cannot read a stream', async () => {
    const response = await get('/signage/events?lang=fr', { accept: 'text/event-stream' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
      /no language "fr"/,
    );
    const plain = await get('/signage/events?lang=en', { accept: 'application/json' });
    expect(plain.status).toBe(406);
    expect(await plain.text()).toMatch(/EventSource/);
  });
});
