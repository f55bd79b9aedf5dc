import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/platform/config.js';
import { foreignTableUses, productSources, tableOwners, tablesNamed } from './table-ownership.js';

// ../shared/ARCHITECTURE.md: domains talk through each other's exported functions, never each
// other's tables. Each *.tables.ts declares its domain's tables; no other domain's code names them.
describe('one way in per domain', () => {
  it('finds tables named in Kysely calls and in raw SQL, not in prose', () => {
    const text = [
      "db.selectFrom('people as p').innerJoin('contacts', 'contacts.person_id', 'p.id')",
      "trx.updateTable('alerts')",
      'sql`select 1 from deliveries d join alert_messages m on true`',
      '// people from the feed, contacts from people',
      "const id = 'contacts';",
    ].join('\n');
    expect(tablesNamed(text).map((t) => t.table)).toEqual([
      'people',
      'contacts',
      'alerts',
      'deliveries',
      'alert_messages',
    ]);
  });

  it('reports a domain that queries another domain’s table, and not its own or the shared campuses', () => {
    const owners = new Map([
      ['people', 'directory'],
      ['alerts', 'alerts'],
      ['campuses', 'platform'],
    ]);
    const uses = foreignTableUses(
      [
        { file: 'src/alerts/fan-out.ts', text: "q.selectFrom('people').innerJoin('campuses', 'a', 'b')" },
        { file: 'src/alerts/send.ts', text: "q.updateTable('alerts')" },
      ],
      owners,
    );
    expect(uses).toEqual([{ file: 'src/alerts/fan-out.ts', line: 1, table: 'people', owner: 'directory' }]);
  });

  it('holds for every product file in src/', () => {
    const sources = productSources(packageRoot);
    const owners = tableOwners(sources);
    expect(owners.get('people')).toBe('directory');
    expect(owners.get('deliveries')).toBe('alerts');
    const uses = foreignTableUses(sources, owners).map(
      (u) => `${u.file}:${u.line} names ${u.owner}'s table ${u.table}: call a function ${u.owner} exports`,
    );
    expect(uses).toEqual([]);
  });
});
