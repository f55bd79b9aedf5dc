import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../../test/support/system.js';
import { noRequest, systemActor } from '../../platform/actor.js';
import type { Db } from '../../platform/db/database.js';
import { countGroupMembers } from '../people.queries.js';
import { findGroupDefinition } from '../groups.queries.js';
import { createPerson } from '../manage-person.js';
import { createDemoOperators } from './demo-operators.js';
import { createDemoCampusIfEmpty, generateDemoCampus, removeDemoCampus } from './generate-demo-campus.js';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem({ serve: false });
});
afterAll(async () => {
  await sys.close();
});

/** Everything a demo wrote, without generated ids or timestamps, in a stable order. */
async function fingerprint(db: Db): Promise<string> {
  const { rows } = await sql<{ f: string }>`select md5(string_agg(line, E'\\n' order by line)) as f from (
      select concat_ws('|', p.external_id, p.institutional_id, p.affiliation, p.status, p.display_name,
        p.department, hb.code, rh.code, p.preferred_language,
        (select string_agg(concat_ws(':', c.channel, c.address, c.is_primary, c.opt_out_reason), ',' order by c.channel, c.address)
          from contacts c where c.person_id = p.id)) as line
      from people p left join locations hb on hb.id = p.home_building_id left join locations rh on rh.id = p.residence_hall_id
      union all
      select concat_ws('|', l.kind, l.code, l.name, z.code, l.outline::text, k.clery_class, k.effective_from)
      from locations l left join locations z on z.id = l.parent_id
        left join location_clery_classes k on k.location_id = l.id
      union all
      select concat_ws('|', g.name, g.kind, g.rule::text, (select count(*) from group_members m where m.group_id = g.id))
      from groups g) lines`.execute(db);
  return rows[0]!.f;
}

describe('demo campus', () => {
  it('fills an empty directory with one audit row, and refuses to go into a full one', async () => {
    const summary = await generateDemoCampus(sys.ctx, systemActor, { people: 500, seed: 'test' });
    expect(summary).toMatchObject({ people: 500, buildings: 51, residenceHalls: 19, zones: 8, groups: 7 });
    expect(summary.students + summary.employees + summary.affiliates).toBe(500);
    const people = await sys.ctx.db
      .selectFrom('people')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    expect(people.n).toBe(500);
    const contacts = await sys.ctx.db
      .selectFrom('contacts')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    expect(contacts.n).toBe(summary.contacts);
    const audit = await sys.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', 'like', 'directory.demo%')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.metadata).toMatchObject({ people: 500, seed: 'test' });
    await expect(generateDemoCampus(sys.ctx, systemActor, { people: 10 })).rejects.toThrow(
      /already holds 500 people, 78 locations and 7 groups/,
    );
    expect(await createDemoCampusIfEmpty(sys.ctx)).toBeNull();
  });

  it('gives employees office phones, some shared, none a mobile, so the Office phones channel has numbers', async () => {
    const office = await sql<{ address: string; people: number; texted: boolean }>`
      select c.address, count(*)::int as people,
             exists (select 1 from contacts s where s.channel = 'sms' and s.address = c.address) as texted
      from contacts c join people p on p.id = c.person_id
      where c.channel = 'office_phone' and p.affiliation = 'employee'
      group by c.address`.execute(sys.ctx.db);
    expect(office.rows.length).toBeGreaterThan(20);
    expect(office.rows.some((r) => r.people > 1)).toBe(true);
    expect(office.rows.filter((r) => r.texted)).toEqual([]);
  });

  it('resolves its groups and Clery classes like real data', async () => {
    const groups = await sys.ctx.db.selectFrom('groups').select(['id', 'name']).execute();
    const count = async (name: string) =>
      countGroupMembers(
        sys.ctx.db,
        await findGroupDefinition(sys.ctx.db, groups.find((g) => g.name === name)!.id),
      );
    expect(await count('All students')).toBeGreaterThan(250);
    expect(await count('West Campus residents')).toBeGreaterThan(50);
    expect(await count('EECS')).toBeGreaterThan(0);
    expect(await count('Residence hall staff')).toBeGreaterThan(10);
    const optedOut = await sys.ctx.db
      .selectFrom('contacts')
      .select('opt_out_reason')
      .where('opted_out_at', 'is not', null)
      .execute();
    expect(optedOut.every((c) => c.opt_out_reason === 'Replied STOP to a text message')).toBe(true);
  });

  it('replaces an earlier demo with the same data for the same seed', async () => {
    const before = await fingerprint(sys.ctx.db);
    const again = await generateDemoCampus(sys.ctx, systemActor, {
      people: 500,
      seed: 'test',
      replace: true,
    });
    expect(again.replaced).toMatchObject({ people: 500, otherPeople: 0, otherLocations: 0, otherGroups: 0 });
    expect(await fingerprint(sys.ctx.db)).toBe(before);
    await generateDemoCampus(sys.ctx, systemActor, { people: 500, seed: 'another', replace: true });
    expect(await fingerprint(sys.ctx.db)).not.toBe(before);
  });

  it('never replaces or removes real directory data', async () => {
    await createPerson(sys.ctx, systemActor, {
      displayName: 'Real Person',
      affiliation: 'employee',
      request: noRequest,
    });
    await expect(generateDemoCampus(sys.ctx, systemActor, { people: 500, replace: true })).rejects.toThrow(
      /holds 1 people, 0 locations and 0 groups the demo did not create. Nothing was changed/,
    );
    await expect(removeDemoCampus(sys.ctx, systemActor)).rejects.toThrow(/Nothing was changed/);
    await sys.ctx.db
      .deleteFrom('people')
      .where('source', '=', 'manual')
      .where('external_id', 'is', null)
      .execute();
    expect(await removeDemoCampus(sys.ctx, systemActor)).toMatchObject({ people: 500 });
    expect(await removeDemoCampus(sys.ctx, systemActor)).toBeNull();
    const small = await createDemoCampusIfEmpty(sys.ctx);
    expect(small?.people).toBe(5000);
  });

  it('creates one operator per role, once', async () => {
    const first = await createDemoOperators(sys.ctx, systemActor, noRequest);
    expect(first.map((o) => o.username)).toContain('demo-directory_manager');
    expect(first).toHaveLength(Object.keys(sys.ctx.profile.roles).length);
    expect(first.every((o) => o.oneTimeSecret)).toBe(true);
    const second = await createDemoOperators(sys.ctx, systemActor, noRequest);
    expect(second.every((o) => o.oneTimeSecret === null)).toBe(true);
  });
});
