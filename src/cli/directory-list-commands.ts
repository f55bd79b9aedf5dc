import type { Command } from 'commander';
import { affiliations, type Affiliation } from '../directory/directory.tables.js';
import { listGroups } from '../directory/groups.queries.js';
import { listLocations, resolveCampus } from '../directory/locations.queries.js';
import { listPeople, listContacts } from '../directory/people.queries.js';
import { AppError } from '../platform/errors.js';
import { withSystem } from './cli-support.js';

const today = () => new Date().toISOString().slice(0, 10);

/** people, locations and groups: read the directory from the command line. */
export function registerDirectoryListCommands(program: Command): void {
  program
    .command('people [search]')
    .description(
      'List people: a name substring, an institutional id or an email; filters by building, residence hall, department, affiliation',
    )
    .option('--building <code>', 'home building code, e.g. W20')
    .option('--hall <code>', 'residence hall code')
    .option('--department <name>', 'department')
    .option('--affiliation <affiliation>', affiliations.join(', '))
    .option('--inactive', 'inactive people instead of active ones')
    .option(
      '--contacts',
      'show each person’s contacts (an audited read in the API; here, for administrators)',
    )
    .option('--limit <n>', 'at most this many (default 50, max 500)', '50')
    .action(
      (
        search: string | undefined,
        opts: {
          building?: string;
          hall?: string;
          department?: string;
          affiliation?: string;
          inactive?: boolean;
          contacts?: boolean;
          limit: string;
        },
      ) =>
        withSystem(async ({ ctx }) => {
          if (opts.affiliation && !affiliations.includes(opts.affiliation as Affiliation)) {
            throw new AppError('validation', `--affiliation must be one of ${affiliations.join(', ')}.`);
          }
          const limit = Math.min(500, Math.max(1, Number(opts.limit) || 50));
          const campus = await resolveCampus(ctx.db, ctx.profile);
          const { rows, next } = await listPeople(
            ctx.db,
            {
              campusId: campus.id,
              q: search,
              buildingCode: opts.building,
              residenceHallCode: opts.hall,
              department: opts.department,
              affiliation: opts.affiliation as Affiliation | undefined,
              status: opts.inactive ? 'inactive' : 'active',
            },
            { limit },
          );
          for (const p of rows) {
            const place = [p.home_building, p.residence_hall].filter(Boolean).join('/');
            console.log(
              `${(p.institutional_id ?? '-').padEnd(14)} ${p.display_name.padEnd(32)} ${p.affiliation.padEnd(9)} ${(p.department ?? '').padEnd(24)} ${place}`,
            );
            if (opts.contacts)
              for (const c of await listContacts(ctx.db, p.id))
                console.log(
                  `${''.padEnd(16)}${c.channel.padEnd(6)} ${c.address}${c.opted_out_at ? ' (opted out)' : ''}`,
                );
          }
          console.log(
            `${rows.length} shown${next ? '; more match (raise --limit or narrow the search)' : ''}.`,
          );
        }),
    );

  program
    .command('locations')
    .description('List buildings, zones and residence halls with their Clery class today')
    .option('--kind <kind>', 'building, zone or residence_hall')
    .action((opts: { kind?: 'building' | 'zone' | 'residence_hall' }) =>
      withSystem(async ({ ctx }) => {
        const campus = await resolveCampus(ctx.db, ctx.profile);
        const rows = await listLocations(ctx.db, {
          campusId: campus.id,
          kind: opts.kind,
          limit: 1000,
          date: today(),
        });
        for (const l of rows)
          console.log(
            `${l.code.padEnd(10)} ${l.kind.padEnd(15)} ${l.name.padEnd(36)} ${l.clery_class ?? '-'}`,
          );
        console.log(`${rows.length} locations.`);
      }),
    );

  program
    .command('groups')
    .description('List static and dynamic groups')
    .action(() =>
      withSystem(async ({ ctx }) => {
        const campus = await resolveCampus(ctx.db, ctx.profile);
        const rows = await listGroups(ctx.db, { campusId: campus.id, limit: 1000 });
        for (const g of rows)
          console.log(
            `${g.name.padEnd(32)} ${g.kind.padEnd(8)} ${g.source.padEnd(7)} ${g.kind === 'dynamic' ? JSON.stringify(g.rule) : ''}`,
          );
        console.log(`${rows.length} groups.`);
      }),
    );
}
