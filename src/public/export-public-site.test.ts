import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../test/support/system.js';
import { runTocsin } from '../../test/support/cli.js';
import { capSchemaPath, xmllint } from '../alerts/rendering/xmllint.testing.js';
import { exportPublicSite } from './export-public-site.js';
import { allClearTestAlert, sendTestAlert, updateTestAlert } from './public.test-support.js';

let sys: TestSystem;
let mirror: string;
let alertId: string;
const scratch = () => {
  mkdirSync('.test-data', { recursive: true });
  return mkdtempSync(path.resolve('.test-data', 'mirror-'));
};

beforeAll(async () => {
  mirror = scratch();
  sys = await startTestSystem({
    serve: false,
    work: true,
    env: { TOCSIN_PUBLIC_MIRROR_DIR: mirror },
  });
  alertId = await sendTestAlert(sys.ctx, { hazard: 'evacuate', kind: 'emergency', where: 'Building 32' });
  await updateTestAlert(sys.ctx, alertId, 'Leave by the Vassar Street exits.');
  await sendTestAlert(sys.ctx, { hazard: 'test', kind: 'exercise', where: 'Campus-wide' });
}, 60_000);
afterAll(async () => {
  await sys.close();
});

/** Every relative link and source of an HTML file, resolved against its directory. */
function localLinks(dir: string, file: string): string[] {
  const html = readFileSync(path.join(dir, file), 'utf8');
  return [...html.matchAll(/(?:href|src)="([^"#?]+)"/g)]
    .map((m) => m[1]!)
    .filter((link) => !/^[a-z]+:/.test(link))
    .map((link) => path.join(path.dirname(path.join(dir, file)), link));
}

describe('the static mirror', () => {
  it('holds the whole site, every page linking only to files that exist', async () => {
    const dir = scratch();
    const result = await exportPublicSite(sys.ctx, dir);
    expect(result.written).toBe(result.files);
    const files = readdirSync(dir, { recursive: true }).map(String);
    for (const expected of [
      'index.html',
      'index.es.html',
      `alerts/${alertId}.html`,
      `alerts/${alertId}.es.html`,
      `alerts/${alertId}.json`,
      `cap/${alertId}.xml`,
      `cap/${alertId}.0.xml`,
      `cap/${alertId}.1.xml`,
      'archive/index.html',
      'archive/emergency.html',
      'feeds/alerts.atom',
      'feeds/alerts.rss',
      'feeds/cap.atom',
      'alerts.json',
      'signage.html',
      'signage.json',
      'signage.js',
    ])
      expect(files, expected).toContain(expected.split('/').join(path.sep));
    const pages = files.filter((f) => f.endsWith('.html'));
    for (const page of pages)
      for (const target of localLinks(dir, page))
        expect(existsSync(target), `${page} → ${target}`).toBe(true);
    expect(readFileSync(path.join(dir, 'index.html'), 'utf8')).toContain('Leave by the Vassar Street exits.');
    expect(xmllint(readFileSync(path.join(dir, `cap/${alertId}.1.xml`), 'utf8'), capSchemaPath).status).toBe(
      0,
    );
    // The mirror's signage view polls signage.json: a static server has no event stream.
    expect(readFileSync(path.join(dir, 'signage.html'), 'utf8')).toContain('data-events=""');
  });

  it('writes nothing the second time, removes pages of alerts no longer public and leaves other files', async () => {
    const dir = scratch();
    await exportPublicSite(sys.ctx, dir);
    const gone = path.join(dir, 'alerts', '00000000-0000-4000-8000-000000000000.html');
    writeFileSync(gone, 'old');
    writeFileSync(path.join(dir, 'robots.txt'), 'User-agent: *');
    const again = await exportPublicSite(sys.ctx, dir);
    expect(again.written).toBe(0);
    expect(again.removed).toBe(1);
    expect(existsSync(gone)).toBe(false);
    expect(existsSync(path.join(dir, 'robots.txt'))).toBe(true);
  });

  it('is kept current by the workers when TOCSIN_PUBLIC_MIRROR_DIR is set', async () => {
    const deadline = Date.now() + 15_000;
    await allClearTestAlert(sys.ctx, alertId);
    let page = '';
    while (Date.now() < deadline) {
      page = existsSync(path.join(mirror, 'index.html'))
        ? readFileSync(path.join(mirror, 'index.html'), 'utf8')
        : '';
      if (page.includes('banner all_clear')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(page).toContain('banner all_clear');
  });

  it('is written by `tocsin public export <dir>`', () => {
    const dir = scratch();
    const run = runTocsin(['public', 'export', dir, '--site-url', 'https://mirror.example.edu'], {
      DATABASE_URL: sys.database.url,
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^Wrote \d+ of \d+ files/);
    expect(run.status).toBe(0);
    expect(readFileSync(path.join(dir, 'feeds/alerts.atom'), 'utf8')).toContain(
      'https://mirror.example.edu/alerts/',
    );
  });
});
