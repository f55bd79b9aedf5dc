import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeToken } from '../../../test/support/operators.js';
import { freePort } from '../../../test/support/ports.js';
import { startTestSystem, type TestSystem } from '../../../test/support/system.js';
import { capIdentifier, nwsCap } from './inbound-cap.test-support.js';

let sys: TestSystem;
let submitter: Record<string, string>;
// A loopback server an external entity points at: it must never be asked for anything.
let trap: http.Server;
let trapUrl: string;
const trapped: string[] = [];

beforeAll(async () => {
  const port = await freePort();
  trapUrl = `http://127.0.0.1:${port}`;
  trap = http.createServer((req, res) => {
    trapped.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'text/plain' }).end('Fetched from the network');
  });
  await new Promise<void>((resolve) => trap.listen(port, '127.0.0.1', resolve));
  sys = await startTestSystem();
  submitter = { authorization: `Bearer ${await makeToken(sys.ctx, ['inbound_cap.submit'])}` };
}, 60_000);
afterAll(async () => {
  await sys.close();
  await new Promise((resolve) => trap.close(resolve));
});

const post = (document: string) =>
  sys.app!.inject({
    method: 'POST',
    url: '/api/v1/cap/inbound',
    headers: { ...submitter, 'content-type': 'application/cap+xml' },
    payload: document,
  });

const storedRows = (identifier: string) =>
  sys.ctx.db.selectFrom('inbound_cap').selectAll().where('identifier', '=', identifier).execute();

/** An NWS-style alert whose prolog (after the XML declaration) is `prolog` and headline `&headline;`. */
function withProlog(identifier: string, prolog: string, headline = '&headline;'): string {
  const document = nwsCap({ identifier, headline: 'HEADLINE' }).replace('HEADLINE', headline);
  return document.replace('?>\n', `?>\n${prolog}\n`);
}

// A processing instruction may hold "<!--": text matching that strips comments then loses the DTD.
const hidden = (dtd: string) => `<?tocsin note <!-- ?>\n${dtd}\n<?tocsin --> ?>`;

describe('refusing DTDs in posted CAP', () => {
  const cases: [string, (trap: string) => string, string?][] = [
    ['after a processing instruction', () => hidden('<!DOCTYPE alert [<!ENTITY headline "Injected">]>')],
    [
      'after a comment',
      () => '<!-- sent by the county -->\n<!DOCTYPE alert [<!ENTITY headline "Injected">]>',
    ],
    ['after a byte-order mark', () => '', '\uFEFF'],
    ['declaring an internal entity', () => '<!DOCTYPE alert [<!ENTITY headline "Injected">]>'],
    [
      'declaring an external file entity',
      () => hidden('<!DOCTYPE alert [<!ENTITY headline SYSTEM "file:///etc/passwd">]>'),
    ],
    [
      'declaring an external network entity',
      (url) => hidden(`<!DOCTYPE alert [<!ENTITY headline SYSTEM "${url}/entity">]>`),
    ],
    [
      'declaring an entity on a closed port',
      () => hidden('<!DOCTYPE alert [<!ENTITY headline SYSTEM "http://127.0.0.1:1/x">]>'),
    ],
    [
      'declaring a parameter entity',
      (url) => hidden(`<!DOCTYPE alert [<!ENTITY % remote SYSTEM "${url}/dtd"> %remote;]>`),
    ],
    ['naming an external DTD', (url) => hidden(`<!DOCTYPE alert SYSTEM "${url}/cap.dtd">`)],
  ];

  it.each(cases)('answers a DOCTYPE %s with 400 and stores nothing', async (_name, prolog, bom) => {
    const identifier = capIdentifier();
    const dtd = bom === undefined ? prolog(trapUrl) : '<!DOCTYPE alert [<!ENTITY headline "Injected">]>';
    const document = (bom ?? '') + withProlog(identifier, dtd);
    const r = await post(document);
    expect(r.statusCode, r.body).toBe(400);
    expect(r.json().error).toMatchObject({ code: 'validation' });
    expect(r.json().error.message).toMatch(/DTDs are not accepted/);
    expect(r.body).not.toMatch(/Injected|root:|Fetched/);
    expect(await storedRows(identifier)).toEqual([]);
    expect(trapped).toEqual([]);
  });

  it('refuses a DOCTYPE after the root element too', async () => {
    const identifier = capIdentifier();
    const r = await post(`${nwsCap({ identifier })}<!DOCTYPE alert [<!ENTITY x "y">]>\n`);
    expect(r.statusCode, r.body).toBe(400);
    expect(r.json().error.message).toMatch(/DTDs are not accepted/);
    expect(await storedRows(identifier)).toEqual([]);
  });

  it('accepts "<!DOCTYPE" written inside a comment or a processing instruction, which declares nothing', async () => {
    const identifier = capIdentifier();
    const prolog = '<!-- <!DOCTYPE alert [<!ENTITY x "y">]> -->\n<?tocsin <!DOCTYPE alert> ?>';
    const r = await post(withProlog(identifier, prolog, 'Tornado Warning'));
    expect(r.statusCode, r.body).toBe(202);
    const [row] = await storedRows(identifier);
    expect(row?.parsed).toMatchObject({ infos: [{ headline: 'Tornado Warning' }] });
  });
});

describe('reporting a document with thousands of problems', () => {
  it('answers 400 with a capped list of problems and a count of the rest, in a small body', async () => {
    const info = (urgency: string) =>
      `<info><category>Met</category><event>x</event><urgency>${urgency}</urgency><severity>Awful</severity><certainty>Maybe</certainty></info>`;
    // The first value is long and all quotes, which JSON doubles: still the body stays small.
    const infos = info('"'.repeat(20_000)) + info('Soon').repeat(6999);
    const document = nwsCap({ noInfo: true }).replace('</alert>', `${infos}\n</alert>`);
    expect(Buffer.byteLength(document)).toBeGreaterThan(900_000);
    const r = await post(document);
    expect(r.statusCode).toBe(400);
    expect(r.body.length).toBeLessThan(16_384);
    const error = r.json().error;
    expect(error.message).toMatch(
      /^The document is not valid CAP 1\.2: element urgency: '"+…' is not one of/,
    );
    expect(error.message).toMatch(/; and 20,980 more problems\.$/);
    expect(error.details).toHaveLength(21);
    expect(error.details[0]).toMatchObject({ element: 'urgency', line: 10 });
    expect(error.details[1]).toMatchObject({ element: 'severity', line: 10 });
    expect(error.details[20]).toEqual({ message: '20,980 more problems not listed' });
  });
});
