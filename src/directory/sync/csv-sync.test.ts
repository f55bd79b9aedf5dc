import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../../test/support/system.js';
import { systemActor } from '../../platform/actor.js';
import { addContact } from '../manage-contact.js';
import { parseCsvFeed } from './csv-feed.js';
import { syncDirectory } from './run-directory-sync.js';
import { defaultCampusId } from './sync.queries.js';

let sys: TestSystem;
let campusId: string;
beforeAll(async () => {
  sys = await startTestSystem({ serve: false });
  campusId = await defaultCampusId(sys.ctx.db, 'cambridge');
  await sys.ctx.db
    .insertInto('locations')
    .values([
      { campus_id: campusId, kind: 'building', code: 'W20', name: 'Student Center' },
      { campus_id: campusId, kind: 'residence_hall', code: 'W71', name: 'Next House' },
    ])
    .execute();
});
afterAll(async () => {
  await sys.close();
});

const header =
  'kerberos,affiliation,first_name,last_name,department,email,mobile,building,residence_hall,language';
const row = (i: number, over: Record<string, string> = {}) => {
  const v = {
    kerberos: `user${i}`,
    affiliation: i % 3 === 0 ? 'staff' : 'student',
    first_name: `Given${i}`,
    last_name: `Family${i}`,
    department: 'Physics',
    email: `user${i}@example.edu`,
    mobile: `617-555-01${String(i % 100).padStart(2, '0')}`,
    building: 'W20',
    residence_hall: i % 3 === 0 ? '' : 'W71',
    language: 'en',
    ...over,
  };
  return [
    v.kerberos,
    v.affiliation,
    v.first_name,
    v.last_name,
    v.department,
    v.email,
    v.mobile,
    v.building,
    v.residence_hall,
    v.language,
  ].join(',');
};
const csv = (rows: string[]) => [header, ...rows].join('\n');
const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => i + from);
const sync = (text: string, options: { dryRun?: boolean; force?: boolean } = {}) =>
  syncDirectory(sys.ctx, parseCsvFeed(text, sys.ctx.profile), {
    campusId,
    feed: 'csv',
    dryRun: options.dryRun ?? false,
    force: options.force ?? false,
    actor: systemActor,
  });
const countPeople = async (status = 'active') =>
  Number(
    (
      await sys.ctx.db
        .selectFrom('people')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('status', '=', status as 'active')
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('CSV full-file sync', () => {
  it('previews a diff without changing anything, then applies it in one go', async () => {
    const file = csv(range(50).map((i) => row(i)));
    const preview = await sync(file, { dryRun: true });
    expect(preview.status).toBe('previewed');
    expect(preview.counts).toMatchObject({ rows: 50, adds: 50, changes: 0, deactivations: 0 });
    expect(preview.diff.adds[0]).toEqual({
      institutionalId: 'user0',
      displayName: 'Given0 Family0',
      affiliation: 'employee',
    });
    expect(await countPeople()).toBe(0);

    const applied = await sync(file);
    expect(applied.status).toBe('applied');
    expect(await countPeople()).toBe(50);
    const contacts = await sys.ctx.db
      .selectFrom('contacts')
      .select(['channel', 'address', 'is_primary'])
      .innerJoin('people', 'people.id', 'contacts.person_id')
      .where('people.institutional_id', '=', 'user1')
      .orderBy('channel')
      .execute();
    expect(contacts).toEqual([
      { channel: 'email', address: 'user1@example.edu', is_primary: true },
      { channel: 'sms', address: '+16175550101', is_primary: false },
      { channel: 'voice', address: '+16175550101', is_primary: false },
    ]);
  });

  it('changes nothing when the same file comes again', async () => {
    const before = await sys.ctx.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirstOrThrow();
    const again = await sync(csv(range(50).map((i) => row(i))));
    expect(again.counts).toMatchObject({ adds: 0, changes: 0, deactivations: 0, unchanged: 50 });
    const after = await sys.ctx.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirstOrThrow();
    expect(after.seq).toBe(before.seq);
  });

  it('applies only what changed, deactivates who is gone, and keeps contacts people added themselves', async () => {
    const user2 = await sys.ctx.db
      .selectFrom('people')
      .select('id')
      .where('institutional_id', '=', 'user2')
      .executeTakeFirstOrThrow();
    await sys.ctx.db
      .insertInto('contacts')
      .values({ person_id: user2.id, channel: 'sms', address: '+16175550199', source: 'self' })
      .execute();
    const rows = range(50)
      .filter((i) => i !== 7)
      .map((i) => (i === 2 ? row(i, { department: 'Chemistry', mobile: '' }) : row(i)));
    const result = await sync(csv(rows));
    expect(result.counts).toMatchObject({ adds: 0, changes: 1, deactivations: 1, unchanged: 48 });
    expect(result.diff.changes).toEqual([
      { institutionalId: 'user2', displayName: 'Given2 Family2', fields: ['department', 'phones'] },
    ]);
    const person = await sys.ctx.db
      .selectFrom('people')
      .selectAll()
      .where('institutional_id', '=', 'user7')
      .executeTakeFirstOrThrow();
    expect(person.status).toBe('inactive');
    const contacts = await sys.ctx.db
      .selectFrom('contacts')
      .select(['address', 'source'])
      .where('person_id', '=', user2.id)
      .where('channel', '=', 'sms')
      .execute();
    expect(contacts).toEqual([{ address: '+16175550199', source: 'self' }]);
  });

  it('keeps the contacts operators added to a feed person while the feed replaces its own', async () => {
    const user3 = await sys.ctx.db
      .selectFrom('people')
      .select('id')
      .where('institutional_id', '=', 'user3')
      .executeTakeFirstOrThrow();
    const request = { ip: null, requestId: null };
    const added = await addContact(sys.ctx, systemActor, user3.id, {
      channel: 'sms',
      address: '617-555-0188',
      request,
    });
    expect(added).toMatchObject({ address: '+16175550188', source: 'operator', is_primary: false });
    await addContact(sys.ctx, systemActor, user3.id, {
      channel: 'email',
      address: 'u3.home@example.org',
      primary: true, // the person's email of choice now: the feed's stops being primary
      request,
    });
    // The feed changes user3's mobile: its old number goes, the operator's stay.
    const rows = range(50)
      .filter((i) => i !== 7)
      .map((i) =>
        i === 2
          ? row(i, { department: 'Chemistry', mobile: '' })
          : i === 3
            ? row(i, { mobile: '617-555-0177' })
            : row(i),
      );
    const result = await sync(csv(rows));
    expect(result.counts).toMatchObject({ changes: 1, unchanged: 48 });
    const contacts = await sys.ctx.db
      .selectFrom('contacts')
      .select(['channel', 'address', 'source', 'is_primary'])
      .where('person_id', '=', user3.id)
      .orderBy('channel')
      .orderBy('address')
      .execute();
    // One primary per channel still: the sync did not make the feed's email primary again.
    expect(contacts).toEqual([
      { channel: 'email', address: 'u3.home@example.org', source: 'operator', is_primary: true },
      { channel: 'email', address: 'user3@example.edu', source: 'directory', is_primary: false },
      { channel: 'sms', address: '+16175550177', source: 'directory', is_primary: false },
      { channel: 'sms', address: '+16175550188', source: 'operator', is_primary: false },
      { channel: 'voice', address: '+16175550177', source: 'directory', is_primary: false },
    ]);
    // user3 goes back to the old number for the tests below.
    await sync(
      csv(
        range(50)
          .filter((i) => i !== 7)
          .map((i) => (i === 2 ? row(i, { department: 'Chemistry', mobile: '' }) : row(i))),
      ),
    );
  });

  it('brings back a person who returns to the file', async () => {
    const result = await sync(
      csv(range(50).map((i) => (i === 2 ? row(i, { department: 'Chemistry', mobile: '' }) : row(i)))),
    );
    expect(result.counts).toMatchObject({ changes: 1, reactivations: 1, deactivations: 0 });
    expect(await countPeople()).toBe(50);
  });

  it('reports bad rows with line numbers and reasons, applies the good ones, and never deactivates a bad row’s person', async () => {
    const rows = range(50).map((i) => (i === 2 ? row(i, { department: 'Chemistry', mobile: '' }) : row(i)));
    rows[4] = row(4, { email: 'not-an-email' });
    rows[5] = row(5, { affiliation: 'wizard' });
    rows.push(
      row(60, { mobile: '12' }),
      row(61),
      row(61, { first_name: 'Dup' }),
      row(62, { building: 'Z999' }),
    );
    const result = await sync(csv(rows));
    expect(result.status).toBe('applied');
    expect(result.errors).toEqual(
      expect.arrayContaining([
        {
          line: 6,
          institutionalId: 'user4',
          reason: expect.stringMatching(/"not-an-email" is not a valid email address/),
        },
        { line: 7, institutionalId: 'user5', reason: expect.stringMatching(/affiliation "wizard"/) },
        { line: 52, institutionalId: 'user60', reason: expect.stringMatching(/not a possible phone number/) },
        { line: 54, institutionalId: 'user61', reason: 'duplicate of line 53; the first row was used' },
        { line: 0, institutionalId: 'user62', reason: 'unknown building code Z999; no home building set' },
      ]),
    );
    expect(result.counts).toMatchObject({ adds: 2, deactivations: 0 });
    const user4 = await sys.ctx.db
      .selectFrom('people')
      .select('status')
      .where('institutional_id', '=', 'user4')
      .executeTakeFirstOrThrow();
    expect(user4.status).toBe('active');
    const again = await sync(csv(rows));
    expect(again.counts).toMatchObject({ adds: 0, changes: 0, deactivations: 0 });
  });

  it('refuses a truncated export that would deactivate too much of the community, unless forced', async () => {
    const truncated = csv(range(10).map((i) => row(i)));
    const refused = await sync(truncated);
    expect(refused.status).toBe('refused');
    if (refused.status === 'refused')
      expect(refused.message).toMatch(/would deactivate 42 of 52 active people/);
    expect(await countPeople()).toBe(52);
    const forced = await sync(truncated, { force: true });
    expect(forced.status).toBe('applied');
    expect(await countPeople()).toBe(10);
  });

  it('names the missing columns of a file it cannot use', () => {
    expect(() => parseCsvFeed('name,phone\nA,1\n', sys.ctx.profile)).toThrow(
      /lacks required column\(s\): kerberos \(institutionalId\), affiliation \(affiliation\), email \(email\)/,
    );
  });

  it('imports the office_phone column as office phones, never as text numbers', async () => {
    const officeHeader = `${header},office_phone`;
    const rows = range(10).map((i) =>
      i === 1
        ? `${row(i)},617-253-1212; (617) 253-0000`
        : // A number listed as both a mobile and an office phone is an office phone only.
          i === 2
          ? `${row(i, { mobile: '617-253-1213' })},617-253-1213`
          : `${row(i)},`,
    );
    const result = await sync([officeHeader, ...rows].join('\n'));
    expect(result.status).toBe('applied');
    const contacts = await sys.ctx.db
      .selectFrom('contacts as c')
      .innerJoin('people as p', 'p.id', 'c.person_id')
      .select(['p.institutional_id', 'c.channel', 'c.address', 'c.is_primary'])
      .where('p.institutional_id', 'in', ['user1', 'user2'])
      .where('c.channel', '<>', 'email')
      .where('c.source', '=', 'directory')
      .orderBy('p.institutional_id')
      .orderBy('c.channel')
      .orderBy('c.address')
      .execute();
    expect(contacts).toEqual([
      { institutional_id: 'user1', channel: 'office_phone', address: '+16172530000', is_primary: false },
      { institutional_id: 'user1', channel: 'office_phone', address: '+16172531212', is_primary: true },
      { institutional_id: 'user1', channel: 'sms', address: '+16175550101', is_primary: false },
      { institutional_id: 'user1', channel: 'voice', address: '+16175550101', is_primary: false },
      { institutional_id: 'user2', channel: 'office_phone', address: '+16172531213', is_primary: true },
    ]);
    const again = await sync([officeHeader, ...rows].join('\n'));
    expect(again.counts).toMatchObject({ adds: 0, changes: 0, deactivations: 0 });
  });
});
