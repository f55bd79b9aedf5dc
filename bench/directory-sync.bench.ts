import type { RunningSystem } from '../src/app/system.js';
import { systemActor } from '../src/platform/actor.js';
import { parseCsvFeed } from '../src/directory/sync/csv-feed.js';
import { syncDirectory } from '../src/directory/sync/run-directory-sync.js';
import { defaultCampusId } from '../src/directory/sync/sync.queries.js';

type Record = (name: string, value: string) => void;

const header = 'kerberos,affiliation,first_name,last_name,department,email,mobile,language';
const departments = ['Physics', 'EECS', 'Biology', 'Chemistry', 'Mathematics', 'Economics', 'Facilities'];

function registrarExport(n: number, changedEvery = 0): string {
  const lines = [header];
  for (let i = 0; i < n; i += 1) {
    const dept = departments[(i + (changedEvery && i % changedEvery === 0 ? 1 : 0)) % departments.length];
    const affiliation = i % 20 < 12 ? 'student' : i % 20 < 19 ? 'staff' : 'affiliate';
    const area = [617, 857, 781, 508, 978][i % 5];
    lines.push(
      `k${i},${affiliation},Given${i},Family${i},${dept},k${i}@example.edu,+1${area}55501${String(i % 100).padStart(2, '0')},en`,
    );
  }
  return lines.join('\n');
}

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const result = await run();
  return [result, Number(process.hrtime.bigint() - start) / 1e9];
}

/** CSV full-file sync of a 100,000-person registrar export: preview, first apply, unchanged re-run, 1% changed. */
export async function benchDirectorySync(
  system: RunningSystem,
  record: Record,
  people = 100_000,
): Promise<void> {
  const ctx = system.ctx;
  const campusId = await defaultCampusId(ctx.db, ctx.profile.campuses[0]!.slug);
  const run = (text: string, dryRun: boolean) =>
    timed(async () =>
      syncDirectory(ctx, parseCsvFeed(text, ctx.profile), {
        campusId,
        feed: 'csv',
        dryRun,
        force: false,
        actor: systemActor,
      }),
    );
  const file = registrarExport(people);
  const [parsedFeed, parse] = await timed(async () => parseCsvFeed(file, ctx.profile));
  record(
    `CSV sync: parse and validate ${people.toLocaleString('en-US')} rows, s`,
    `${parse.toFixed(2)} (${parsedFeed.errors.length} errors)`,
  );
  const [preview, previewS] = await run(file, true);
  record(
    `CSV sync: dry-run diff of ${people.toLocaleString('en-US')} new people, s`,
    `${previewS.toFixed(2)} (adds ${preview.counts.adds})`,
  );
  const [first, firstS] = await run(file, false);
  record(
    `CSV sync: first apply, ${people.toLocaleString('en-US')} people + ${people * 3} contacts, s`,
    `${firstS.toFixed(2)} (${first.status})`,
  );
  const [again, againS] = await run(file, false);
  record(
    'CSV sync: same file again (nothing to change), s',
    `${againS.toFixed(2)} (changes ${again.counts.changes})`,
  );
  const [changed, changedS] = await run(registrarExport(people, 100), false);
  record('CSV sync: 1% of people changed, s', `${changedS.toFixed(2)} (changes ${changed.counts.changes})`);
}
