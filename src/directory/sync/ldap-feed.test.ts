import { Attribute, Change, Client, SizeLimitExceededError } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../test/support/ports.js';
import {
  opensslAvailable,
  slapdMissing,
  startSlapd,
  type LdapEntry,
  type Slapd,
} from '../../../test/support/slapd.js';
import { startTestSystem, type TestSystem } from '../../../test/support/system.js';
import { noRequest, systemActor } from '../../platform/actor.js';
import { loadConfig, type LdapConfig } from '../../platform/config.js';
import type { AppContext } from '../../platform/context.js';
import { FeedFormatError } from './csv-feed.js';
import { executeSyncRun } from './execute-sync-run.js';
import { readLdapFeed } from './ldap-feed.js';
import { ldapSyncScheduleJob } from './ldap.jobs.js';
import { getSyncRun, requestSync } from './sync-runs.js';
import { defaultCampusId } from './sync.queries.js';

// The profile maps affiliation to eduPersonPrimaryAffiliation; test/support/slapd.ts loads a
// minimal eduPerson schema, so the shipped MIT profile is tested as it is.
const people = 1200;
const affiliations = ['student', 'undergraduate', 'graduate', 'Faculty', 'staff', 'affiliate'];
const mobileFormats = [
  (n: string) => [`617-555-01${n}`],
  (n: string) => [`+1 (617) 555-01${n}`],
  (n: string) => [`61755501${n}`, `857.555.01${n}`],
  () => [],
];

function person(i: number): LdapEntry {
  const n = String(i % 100).padStart(2, '0');
  const attributes: LdapEntry['attributes'] = {
    objectClass: ['inetOrgPerson', 'eduPerson'],
    uid: `p${i}`,
    eduPersonPrimaryAffiliation: affiliations[i % affiliations.length]!,
    givenName: `Given${i}`,
    sn: `Family${i}`,
    cn: `Given${i} Family${i}`,
    ou: i % 2 === 0 ? 'Physics' : 'Chemistry',
    mail: i % 10 === 0 ? [`p${i}@example.edu`, `p${i}@alum.example.edu`] : `p${i}@example.edu`,
    preferredLanguage: i % 25 === 0 ? 'es' : 'en',
  };
  const mobiles = mobileFormats[i % mobileFormats.length]!(n);
  if (mobiles.length > 0) attributes.mobile = mobiles;
  if (i === 7) attributes.roomNumber = 'w20';
  // MIT's profile reads office phones from telephoneNumber, every value.
  if (i === 10) attributes.telephoneNumber = ['617-253-1210', '+1 617 253 0000'];
  return { dn: `uid=p${i},ou=people,dc=example,dc=edu`, attributes };
}

const invalid: LdapEntry[] = [
  {
    dn: 'uid=bad-mail,ou=people,dc=example,dc=edu',
    attributes: {
      objectClass: ['inetOrgPerson', 'eduPerson'],
      uid: 'bad-mail',
      eduPersonPrimaryAffiliation: 'student',
      cn: 'Bad Mail',
      sn: 'Mail',
      mail: 'not-an-email',
    },
  },
  {
    dn: 'cn=No Uid,ou=people,dc=example,dc=edu',
    attributes: {
      objectClass: ['inetOrgPerson', 'eduPerson'],
      eduPersonPrimaryAffiliation: 'staff',
      cn: 'No Uid',
      sn: 'Uid',
      mail: 'nouid@example.edu',
    },
  },
  {
    dn: 'cn=Second P5,ou=people,dc=example,dc=edu',
    attributes: {
      objectClass: ['inetOrgPerson', 'eduPerson'],
      uid: 'p5',
      eduPersonPrimaryAffiliation: 'staff',
      cn: 'Second P5',
      sn: 'P5',
      mail: 'second-p5@example.edu',
    },
  },
];

let slapd: Slapd;
let sys: TestSystem;
let ldap: LdapConfig;
beforeAll(async () => {
  if (slapdMissing) return;
  slapd = await startSlapd([...Array.from({ length: people }, (_, i) => person(i)), ...invalid], {
    tls: opensslAvailable,
  });
  sys = await startTestSystem({
    serve: false,
    env: {
      TOCSIN_LDAP_URL: slapd.url,
      TOCSIN_LDAP_BASE_DN: slapd.peopleDn,
      TOCSIN_LDAP_BIND_DN: slapd.readerDn,
      TOCSIN_LDAP_BIND_PASSWORD: slapd.readerPassword,
      TOCSIN_LDAP_PAGE_SIZE: '100',
      TOCSIN_LDAP_SYNC_CRON: '15 * * * *',
    },
  });
  ldap = sys.ctx.config.ldap!;
  await sys.ctx.db
    .insertInto('locations')
    .values({
      campus_id: await defaultCampusId(sys.ctx.db, 'cambridge'),
      kind: 'building',
      code: 'W20',
      name: 'Student Center',
    })
    .execute();
});
afterAll(async () => {
  await sys?.close();
  await slapd?.stop();
});

/** The context with other LDAP settings, as another deployment would have them. */
const withLdap = (over: Partial<LdapConfig> | undefined): AppContext => ({
  ...sys.ctx,
  config: { ...sys.ctx.config, ldap: over ? { ...ldap, ...over } : undefined },
});

async function runSync(ctx: AppContext = sys.ctx, dryRun = false) {
  const id = await requestSync(ctx, systemActor, { feed: 'ldap', dryRun, force: false, request: noRequest });
  await executeSyncRun(ctx, id);
  return getSyncRun(ctx.db, id);
}

async function admin<T>(run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ url: slapd.url });
  await client.bind(slapd.adminDn, slapd.adminPassword);
  try {
    return await run(client);
  } finally {
    await client.unbind();
  }
}

const contactsOf = (institutionalId: string) =>
  sys.ctx.db
    .selectFrom('contacts')
    .innerJoin('people', 'people.id', 'contacts.person_id')
    .select(['channel', 'address', 'is_primary'])
    .where('people.institutional_id', '=', institutionalId)
    .orderBy('channel')
    .orderBy('address')
    .execute();

describe.skipIf(slapdMissing)('LDAP directory sync against a real OpenLDAP', () => {
  it('reads the service account’s view of the directory only page by page', async () => {
    const client = new Client({ url: slapd.url });
    await client.bind(slapd.readerDn, slapd.readerPassword);
    await expect(client.search(slapd.peopleDn, { filter: '(objectClass=inetOrgPerson)' })).rejects.toThrow(
      SizeLimitExceededError,
    );
    await client.unbind();
  });

  it('creates people with their fields and contacts from a paged search', async () => {
    const run = await runSync();
    expect(run).toMatchObject({ status: 'applied', feed: 'ldap', mode: 'apply', message: null });
    expect(run.counts).toMatchObject({ rows: people + 3, valid: people, adds: people, deactivations: 0 });

    const p10 = await sys.ctx.db
      .selectFrom('people')
      .selectAll()
      .where('institutional_id', '=', 'p10')
      .executeTakeFirstOrThrow();
    expect(p10).toMatchObject({
      affiliation: 'employee',
      given_name: 'Given10',
      family_name: 'Family10',
      display_name: 'Given10 Family10',
      department: 'Physics',
      preferred_language: 'en',
      status: 'active',
    });
    expect(await contactsOf('p10')).toEqual([
      { channel: 'email', address: 'p10@alum.example.edu', is_primary: false },
      { channel: 'email', address: 'p10@example.edu', is_primary: true },
      { channel: 'office_phone', address: '+16172530000', is_primary: false },
      { channel: 'office_phone', address: '+16172531210', is_primary: true },
      { channel: 'sms', address: '+16175550110', is_primary: false },
      { channel: 'sms', address: '+18575550110', is_primary: false },
      { channel: 'voice', address: '+16175550110', is_primary: false },
      { channel: 'voice', address: '+18575550110', is_primary: false },
    ]);
    expect(await contactsOf('p9')).toEqual([
      { channel: 'email', address: 'p9@example.edu', is_primary: true },
      { channel: 'sms', address: '+16175550109', is_primary: false },
      { channel: 'voice', address: '+16175550109', is_primary: false },
    ]);
    const p7 = await sys.ctx.db
      .selectFrom('people')
      .innerJoin('locations', 'locations.id', 'people.home_building_id')
      .select('locations.code')
      .where('institutional_id', '=', 'p7')
      .executeTakeFirstOrThrow();
    expect(p7.code).toBe('W20');
    expect(await contactsOf('p3')).toEqual([
      { channel: 'email', address: 'p3@example.edu', is_primary: true },
    ]);
    const byAffiliation = await sys.ctx.db
      .selectFrom('people')
      .select(['affiliation', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy('affiliation')
      .orderBy('affiliation')
      .execute();
    expect(byAffiliation).toEqual([
      { affiliation: 'affiliate', n: '200' },
      { affiliation: 'employee', n: '400' },
      { affiliation: 'student', n: '600' },
    ]);
  });

  it('reports unusable entries by DN and leaves their people alone', async () => {
    const run = await runSync(sys.ctx, true);
    expect(run.row_errors).toEqual(
      expect.arrayContaining([
        {
          line: 0,
          institutionalId: 'bad-mail',
          reason:
            'entry uid=bad-mail,ou=people,dc=example,dc=edu: "not-an-email" is not a valid email address',
        },
        {
          line: 0,
          institutionalId: null,
          reason: expect.stringMatching(/^entry cn=No Uid,ou=people,dc=example,dc=edu: institutional id ""/),
        },
        {
          line: 0,
          institutionalId: 'p5',
          reason:
            'entry cn=Second P5,ou=people,dc=example,dc=edu: duplicate of entry uid=p5,ou=people,dc=example,dc=edu; the first entry was used',
        },
      ]),
    );
    expect(run.row_errors).toHaveLength(3);
  });

  it('changes nothing when the directory has not changed', async () => {
    const run = await runSync();
    expect(run.status).toBe('applied');
    expect(run.counts).toMatchObject({ adds: 0, changes: 0, deactivations: 0, unchanged: people });
  });

  it('applies a modified and a deleted entry on the scheduled sync', async () => {
    await admin(async (client) => {
      await client.modify('uid=p11,ou=people,dc=example,dc=edu', [
        new Change({
          operation: 'replace',
          modification: new Attribute({ type: 'ou', values: ['Biology'] }),
        }),
      ]);
      await client.del('uid=p12,ou=people,dc=example,dc=edu');
    });
    expect(ldapSyncScheduleJob.schedule!(sys.ctx)).toBe('15 * * * *');
    await ldapSyncScheduleJob.handle(sys.ctx, {});
    const queued = await sys.ctx.db
      .selectFrom('sync_runs')
      .select('id')
      .where('status', '=', 'queued')
      .executeTakeFirstOrThrow();
    await executeSyncRun(sys.ctx, queued.id);
    const run = await getSyncRun(sys.ctx.db, queued.id);
    expect(run).toMatchObject({
      status: 'applied',
      mode: 'apply',
      requested_by: expect.stringMatching(/schedule/),
    });
    expect(run.counts).toMatchObject({ adds: 0, changes: 1, deactivations: 1, unchanged: people - 2 });
    expect(run.diff).toMatchObject({
      changes: [{ institutionalId: 'p11', fields: ['department'] }],
      deactivations: [{ institutionalId: 'p12' }],
    });
  });

  it('is not scheduled, and cannot be requested, when LDAP is not configured', async () => {
    expect(ldapSyncScheduleJob.schedule!(withLdap({ syncCron: null }))).toBeNull();
    expect(ldapSyncScheduleJob.schedule!(withLdap(undefined))).toBeNull();
    await expect(
      requestSync(withLdap(undefined), systemActor, {
        feed: 'ldap',
        dryRun: true,
        force: false,
        request: noRequest,
      }),
    ).rejects.toMatchObject({
      code: 'validation',
      message: 'LDAP sync is not configured: set TOCSIN_LDAP_URL and TOCSIN_LDAP_BASE_DN',
    });
  });

  it('fails the run, saying why and changing nothing, when the server is unreachable, refuses the bind or cuts the search short', async () => {
    const url = `ldap://127.0.0.1:${await freePort()}`;
    const unreachable = await runSync(withLdap({ url }));
    expect(unreachable).toMatchObject({
      status: 'failed',
      message: `Cannot reach the LDAP server at ${url}: ECONNREFUSED`,
    });
    const refused = await runSync(withLdap({ bindPassword: 'wrong' }));
    expect(refused.status).toBe('failed');
    expect(refused.message).toMatch(/^LDAP bind as cn=reader,dc=example,dc=edu failed: invalid credentials/);
    const missingBase = await runSync(withLdap({ baseDn: 'ou=nobody,dc=example,dc=edu' }));
    expect(missingBase.message).toMatch(
      /^LDAP search under ou=nobody,dc=example,dc=edu failed: no such object; check TOCSIN_LDAP_BASE_DN/,
    );
    const truncated = await runSync(withLdap({ bindDn: slapd.limitedDn }));
    expect(truncated.status).toBe('failed');
    expect(truncated.message).toMatch(
      /^LDAP search under ou=people,dc=example,dc=edu failed: size limit exceeded/,
    );
    const active = await sys.ctx.db
      .selectFrom('people')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow();
    expect(active.n).toBe(String(people - 1));
  });
});

describe.skipIf(slapdMissing || !opensslAvailable)('LDAP over TLS', () => {
  it('reads over StartTLS and ldaps:// with the configured CA, and refuses a server it cannot verify', async () => {
    const profile = sys.ctx.profile;
    const plain = await readLdapFeed(ldap, profile);
    const startTls = await readLdapFeed({ ...ldap, tlsCaFile: slapd.caFile }, profile);
    expect(startTls.rows).toBe(plain.rows);
    const ldaps = await readLdapFeed({ ...ldap, url: slapd.ldapsUrl!, tlsCaFile: slapd.caFile }, profile);
    expect(ldaps.rows).toBe(plain.rows);

    const unverified = readLdapFeed({ ...ldap, url: slapd.ldapsUrl! }, profile);
    await expect(unverified).rejects.toThrow(FeedFormatError);
    await expect(unverified).rejects.toThrow(
      /^TLS with the LDAP server at ldaps:\S+ failed: DEPTH_ZERO_SELF_SIGNED_CERT/,
    );
    // The certificate names 127.0.0.1: StartTLS checks the name in the URL, so the upgrade really happened.
    const otherName = readLdapFeed(
      { ...ldap, url: slapd.url.replace('127.0.0.1', 'localhost'), tlsCaFile: slapd.caFile },
      profile,
    );
    await expect(otherName).rejects.toThrow(/ERR_TLS_CERT_ALTNAME_INVALID/);
  });
});

describe('LDAP configuration', () => {
  it('needs the URL and the base DN together', () => {
    expect(() => loadConfig({ TOCSIN_LDAP_URL: 'ldap://ldap.example.edu' })).toThrow(/set both/);
    expect(() => loadConfig({ TOCSIN_LDAP_URL: 'http://x', TOCSIN_LDAP_BASE_DN: 'dc=x' })).toThrow(
      /ldap:\/\/ or ldaps:\/\//,
    );
    expect(() => loadConfig({ TOCSIN_LDAP_SYNC_CRON: '0 * * * *' })).toThrow(
      /TOCSIN_LDAP_URL and TOCSIN_LDAP_BASE_DN are not/,
    );
    expect(loadConfig({}).ldap).toBeUndefined();
    expect(
      loadConfig({ TOCSIN_LDAP_URL: 'ldaps://ldap.example.edu', TOCSIN_LDAP_BASE_DN: 'dc=x' }).ldap,
    ).toEqual({
      url: 'ldaps://ldap.example.edu',
      bindDn: null,
      bindPassword: null,
      baseDn: 'dc=x',
      filter: '(objectClass=inetOrgPerson)',
      pageSize: 500,
      syncCron: null,
      tlsCaFile: null,
    });
  });
});
