import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserMissing } from '../../test/support/browser.js';
import {
  consoleContext,
  consoleReflowProblems,
  signInToConsole,
  startConsoleBrowser,
} from '../../test/support/console.js';
import { makeOperator } from '../../test/support/operators.js';
import type { TestSystem } from '../../test/support/system.js';
import { noRequest, systemActor } from '../platform/actor.js';
import { axeViolations, viewports } from '../public/public-browser.test-support.js';
import { addGroupMembers, createGroup } from './manage-group.js';
import { addCleryPeriod, createLocation } from './manage-location.js';
import { createPerson } from './manage-person.js';
import { requestSync } from './sync/sync-runs.js';

const artefacts = 'test-artifacts/console/directory';
let sys: TestSystem;
let browser: Browser;
const ids = { building: '', group: '', dynamicGroup: '', person: '', run: '' };
let close: (() => Promise<void>) | undefined;

// The registrar's export: three good rows and, on line 5, one whose email is not an address.
const csv = [
  'kerberos,affiliation,first_name,last_name,email,mobile,building',
  'alovelace,student,Ada,Lovelace,alovelace@example.edu,617-555-0101,W20',
  'ghopper,employee,Grace,Hopper,ghopper@example.edu,617-555-0102,W20',
  'kjohnson,employee,Katherine,Johnson,kjohnson@example.edu,,N52-419',
  'broken,student,Bad,Row,not-an-email,,W20',
].join('\n');

beforeAll(async () => {
  if (browserMissing) return;
  ({ sys, browser, close } = await startConsoleBrowser({ artefacts, work: true }));
  const seed = { request: noRequest };
  await createLocation(sys.ctx, systemActor, { kind: 'zone', code: 'WEST', name: 'West Campus', ...seed });
  const w20 = await createLocation(sys.ctx, systemActor, {
    kind: 'building',
    code: 'W20',
    name: 'Stratton Student Center',
    parentCode: 'WEST',
    ...seed,
  });
  ids.building = w20.id;
  await createLocation(sys.ctx, systemActor, {
    kind: 'building',
    code: 'N52-419',
    name: 'N52 room 419',
    ...seed,
  });
  await createLocation(sys.ctx, systemActor, {
    kind: 'residence_hall',
    code: 'W7',
    name: 'Baker House',
    ...seed,
  });
  await addCleryPeriod(sys.ctx, systemActor, w20.id, {
    cleryClass: 'on_campus',
    effectiveFrom: '2020-01-01',
    ...seed,
  });
  const staff = await createPerson(sys.ctx, systemActor, {
    givenName: 'Mildred',
    familyName: 'Dresselhaus',
    affiliation: 'employee',
    institutionalId: 'millie',
    homeBuilding: 'W20',
    contacts: [{ channel: 'email', address: 'millie@example.edu' }],
    ...seed,
  });
  ids.person = staff.id;
  const wardens = await createGroup(sys.ctx, systemActor, {
    name: 'Building wardens',
    kind: 'static',
    ...seed,
  });
  ids.group = wardens.id;
  await addGroupMembers(sys.ctx, systemActor, wardens.id, [staff.id], noRequest);
  const west = await createGroup(sys.ctx, systemActor, {
    name: 'West campus employees',
    kind: 'dynamic',
    rule: { affiliations: ['employee'], buildingCodes: ['WEST'] },
    ...seed,
  });
  ids.dynamicGroup = west.id;
  // A previewed run of an earlier export, for the run screen at every width.
  ids.run = await requestSync(sys.ctx, systemActor, {
    feed: 'csv',
    dryRun: true,
    force: false,
    content: Buffer.from(csv),
    inputName: 'earlier.csv',
    request: noRequest,
  });
  await runSettles(ids.run);
});
afterAll(() => close?.());

/** Wait (up to 20 s) until the worker has finished a sync run. */
async function runSettles(id: string) {
  for (let tries = 0; tries < 200; tries++) {
    const run = await sys.ctx.db
      .selectFrom('sync_runs')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    if (run.status !== 'queued' && run.status !== 'running') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`sync run ${id} did not finish`);
}

/** Wait until the screen has its heading and nothing is loading any more. */
async function settled(page: Page, heading?: string | RegExp) {
  const h1 = page.locator('main h1').first();
  await h1.waitFor();
  if (heading) await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  await expect.poll(() => page.locator('main .loading').count()).toBe(0);
}

async function check(page: Page, name: string, width: 'phone' | 'desktop') {
  expect(await axeViolations(page), `${name} at ${width}`).toEqual([]);
  await page.screenshot({ path: `${artefacts}/${name}-${width}.png`, fullPage: true });
}

const screens = () => [
  { name: 'people', path: '/console/people', heading: 'People' },
  { name: 'person', path: `/console/people/${ids.person}`, heading: 'Mildred Dresselhaus' },
  { name: 'groups', path: '/console/groups', heading: 'Groups' },
  { name: 'group-static', path: `/console/groups/${ids.group}`, heading: 'Building wardens' },
  { name: 'group-dynamic', path: `/console/groups/${ids.dynamicGroup}`, heading: 'West campus employees' },
  { name: 'locations', path: '/console/locations', heading: 'Locations' },
  { name: 'location', path: `/console/locations/${ids.building}`, heading: /W20/ },
  { name: 'syncs', path: '/console/directory/syncs', heading: 'Directory syncs' },
  { name: 'sync-run', path: `/console/directory/syncs/${ids.run}`, heading: 'CSV sync of earlier.csv' },
  { name: 'tokens', path: '/console/tokens', heading: 'API tokens' },
];

describe.skipIf(browserMissing)('the directory screens in Chromium', () => {
  it('lets a directory manager preview and apply a CSV, manage a contact and issue a SCIM token once', async () => {
    const manager = await makeOperator(sys.ctx, ['directory_manager']);
    const { context, page, offsite } = await consoleContext(browser, sys.url!, viewports.desktop);
    await signInToConsole(page, sys.url!, manager);
    const menu = await page.getByRole('navigation', { name: 'Console' }).getByRole('link').allTextContents();
    expect(menu).toEqual(
      expect.arrayContaining(['People', 'Groups', 'Locations', 'Directory syncs', 'API tokens']),
    );

    // Upload the export: the preview lists the adds and the bad row with its line number.
    await page.getByRole('link', { name: 'Directory syncs' }).click();
    await settled(page, 'Directory syncs');
    await page.getByLabel('CSV file').setInputFiles({
      name: 'registrar.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await page.getByRole('button', { name: 'Upload and preview' }).click();
    await page.getByRole('heading', { name: 'CSV sync of registrar.csv' }).waitFor();
    await page.getByText('Previewed, not applied.').waitFor();
    const adds = page.getByRole('region', { name: 'Adds' });
    await expect(adds.getByRole('row').count()).resolves.toBe(4);
    await adds.getByRole('cell', { name: 'Ada Lovelace' }).waitFor();
    const badRow = page.getByRole('region', { name: 'Bad rows' }).getByRole('row').nth(1);
    await expect(badRow.getByRole('cell').allTextContents()).resolves.toEqual([
      '5',
      'broken',
      expect.stringMatching(/not a valid email address/),
    ]);
    await check(page, 'sync-preview', 'desktop');
    await page.getByRole('button', { name: 'Apply these changes' }).click();
    await page.getByText('Applied.', { exact: true }).waitFor({ timeout: 20_000 });
    await page.screenshot({ path: `${artefacts}/sync-applied-desktop.png`, fullPage: true });

    // Find a person the file added; the feed's email stays, a new contact is added and opted out.
    await page.getByRole('link', { name: 'People', exact: true }).click();
    await settled(page, 'People');
    await page.getByLabel('Name, institutional id or email').fill('alovelace@example.edu');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'Ada Lovelace' }).click();
    await settled(page, 'Ada Lovelace');
    const contacts = page.getByRole('region', { name: 'Contacts' });
    await contacts.getByText(/Cannot be removed\. This is the primary email the CSV feed provides/).waitFor();
    await contacts.getByRole('button', { name: 'Remove +16175550101' }).first().waitFor();
    await page.getByLabel('Channel').selectOption('email');
    await page.getByLabel('Email address').fill('ada.home@example.org');
    await page.getByRole('button', { name: 'Add contact' }).click();
    await page.getByText('ada.home@example.org is added.').waitFor();
    await contacts.getByRole('button', { name: 'Opt out ada.home@example.org' }).click();
    await contacts.getByLabel('Reason for opting out').fill('Asked by phone to use only the campus address');
    await contacts.getByRole('button', { name: 'Opt out ada.home@example.org' }).click();
    await page.getByText('ada.home@example.org is opted out.').waitFor();
    const row = contacts.getByRole('row', { name: /ada\.home@example\.org/ });
    await row.getByText('Reason: Asked by phone to use only the campus address').waitFor();
    await row.getByRole('button', { name: 'Opt in ada.home@example.org' }).waitFor();
    await row.getByRole('button', { name: 'Remove ada.home@example.org' }).waitFor();
    await check(page, 'person-contacts', 'desktop');

    // A dynamic group from a rule, and a person added to a static group.
    await page.getByRole('link', { name: 'Groups' }).click();
    await settled(page, 'Groups');
    await page.getByRole('link', { name: 'New group' }).click();
    await page.getByLabel('Name', { exact: true }).fill('W20 employees');
    await page.getByLabel(/Dynamic: everyone a rule matches/).check();
    await page.getByLabel('Employee').check();
    await page.getByLabel('Buildings or zones').fill('w20');
    await page.getByRole('button', { name: 'Create group' }).click();
    await settled(page, 'W20 employees');
    await page.getByText('People with affiliation Employee, and building or zone W20').waitFor();
    await page.getByText('2 active people').waitFor();
    await page.goto(`${sys.url}/console/groups/${ids.group}`);
    await settled(page, 'Building wardens');
    await page.getByLabel('Name, institutional id or email').fill('Lovelace');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByRole('button', { name: 'Add Ada Lovelace to the group' }).click();
    await page.getByText('Ada Lovelace is added to the group.').waitFor();
    await page.getByRole('region', { name: 'Members' }).getByRole('link', { name: 'Ada Lovelace' }).waitFor();
    await page.getByText('2 active people').waitFor();

    // A SCIM token: shown once with the SCIM URL, then only its prefix.
    await page.getByRole('link', { name: 'API tokens' }).click();
    await settled(page, 'API tokens');
    await page.getByLabel('Name', { exact: true }).fill('Okta SCIM');
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = page.getByLabel('Token', { exact: true });
    await secret.waitFor();
    const token = await secret.inputValue();
    expect(token).toMatch(/^tocsin_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    await page.getByText(`${sys.config.publicUrl}/scim/v2`).waitFor();
    await check(page, 'token-created', 'desktop');
    const users = await fetch(`${sys.url}/scim/v2/Users?count=1`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(users.status).toBe(200);
    await page.getByRole('button', { name: 'I have copied it' }).click();
    await page.getByRole('region', { name: 'Tokens' }).getByText('Okta SCIM').waitFor();
    expect(await page.content()).not.toContain(token.split('_')[2]);
    await page.reload();
    await settled(page, 'API tokens');
    expect(await page.content()).not.toContain(token.split('_')[2]);

    // A truncated export: the brake refuses it, and forcing it takes a warning and a confirmation.
    await page.getByRole('link', { name: 'Directory syncs' }).click();
    await settled(page, 'Directory syncs');
    await page.getByLabel('CSV file').setInputFiles({
      name: 'truncated.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv.split('\n').slice(0, 2).join('\n')),
    });
    await page.getByRole('button', { name: 'Upload and preview' }).click();
    await page.getByRole('heading', { name: 'CSV sync of truncated.csv' }).waitFor();
    await page.getByRole('button', { name: 'Apply these changes' }).click();
    await page
      .getByText(/Refused: the file would deactivate 2 of 3 active people/)
      .waitFor({ timeout: 20_000 });
    const force = page.getByRole('button', { name: 'Force the sync: deactivate 2 people' });
    await page.getByText(/Forcing this sync deactivates 2 people at once/).waitFor();
    expect(await force.isDisabled()).toBe(true);
    await check(page, 'sync-refused', 'desktop');
    await page
      .getByLabel(/I have checked the export is complete, and 2 people should be deactivated/)
      .check();
    await force.click();
    await page.getByText('Applied.', { exact: true }).waitFor({ timeout: 20_000 });
    await page.getByText('Apply, forced past the safety brake').waitFor();

    for (const screen of screens()) {
      await page.goto(`${sys.url}${screen.path}`);
      await settled(page, screen.heading);
      await check(page, screen.name, 'desktop');
    }
    expect(offsite).toEqual([]);
    await context.close();
  }, 120_000);

  it('fits a phone: no violations at 390 px and no sideways scrolling at 320 px on any screen', async () => {
    const manager = await makeOperator(sys.ctx, ['directory_manager']);
    const { context, page } = await consoleContext(browser, sys.url!, viewports.phone);
    await signInToConsole(page, sys.url!, manager);
    for (const screen of screens()) {
      await page.setViewportSize(viewports.phone);
      await page.goto(`${sys.url}${screen.path}`);
      await settled(page, screen.heading);
      await check(page, screen.name, 'phone');
      await page.setViewportSize(viewports.zoom400);
      // Outside a table's own scrolling box.
      expect(await consoleReflowProblems(page, '.table-scroll'), `${screen.name} at 320 px`).toEqual([]);
    }
    await context.close();
  }, 90_000);

  it('lets an administrator grant some of their own permissions to a token and revoke it after confirming', async () => {
    const admin = await makeOperator(sys.ctx, ['administrator']);
    const { context, page } = await consoleContext(browser, sys.url!, viewports.desktop);
    await signInToConsole(page, sys.url!, admin);
    // The administrator's start page links to its sections too: take the menu's.
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'API tokens' }).click();
    await settled(page, 'API tokens');
    // The administrator lacks scim.provision, so there is no SCIM preset, and only held permissions are offered.
    expect(await page.getByLabel(/SCIM provisioning/).count()).toBe(0);
    expect(await page.getByLabel('alerts.send.emergency').count()).toBe(0);
    await page.getByLabel('Name', { exact: true }).fill('Prometheus');
    await page.getByLabel('metrics.read').check();
    await page.getByLabel('Expires after (days)').fill('400');
    await page.getByRole('button', { name: 'Create token' }).click();
    // The browser's own check stops an expiry past the profile's 365 days; 30 goes through.
    expect(await page.getByLabel('Token', { exact: true }).count()).toBe(0);
    await page.getByLabel('Expires after (days)').fill('30');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByLabel('Token', { exact: true }).waitFor();
    expect(await page.getByText('Set up SCIM in the identity provider').count()).toBe(0);
    await page.getByRole('button', { name: 'I have copied it' }).click();
    const tokens = page.getByRole('region', { name: 'Tokens' });
    await tokens.getByRole('button', { name: 'Revoke Prometheus…' }).click();
    await tokens.getByText('Revoke Prometheus? What uses it stops working at once.').waitFor();
    await tokens.getByRole('button', { name: 'Revoke Prometheus', exact: true }).click();
    await page.getByText('Prometheus is revoked: it stopped working.').waitFor();
    await tokens.getByText(/^Revoked /).waitFor();
    await check(page, 'tokens-admin', 'desktop');
    await context.close();
  }, 60_000);

  it('shows a viewer none of the directory menu and "not available" on its addresses', async () => {
    const viewer = await makeOperator(sys.ctx, ['viewer'], { mfa: false });
    const { context, page } = await consoleContext(browser, sys.url!, viewports.desktop);
    await signInToConsole(page, sys.url!, viewer);
    const menu = await page.getByRole('navigation', { name: 'Console' }).getByRole('link').allTextContents();
    for (const entry of ['People', 'Groups', 'Locations', 'Directory syncs', 'API tokens'])
      expect(menu).not.toContain(entry);
    for (const screen of [...screens(), { name: 'new-group', path: '/console/groups/new' }]) {
      await page.goto(`${sys.url}${screen.path}`);
      await page.getByRole('heading', { level: 1, name: 'Not available to your roles' }).waitFor();
    }
    await check(page, 'not-available', 'desktop');
    await context.close();
  }, 60_000);
});
