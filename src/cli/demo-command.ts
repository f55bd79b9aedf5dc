import { InvalidArgumentError, type Command } from 'commander';
import { noRequest } from '../platform/actor.js';
import { createDemoOperators } from '../directory/demo/demo-operators.js';
import {
  defaultDemoPeople,
  defaultDemoSeed,
  generateDemoCampus,
  maxDemoPeople,
  removeDemoCampus,
  type DemoCampusSummary,
} from '../directory/demo/generate-demo-campus.js';
import { cliActor, withSystem } from './cli-support.js';

interface DemoOptions {
  people: number;
  seed: string;
  campus?: string;
  replace?: boolean;
  remove?: boolean;
  operators: boolean;
}

function peopleCount(value: string): number {
  const n = Number(value.replaceAll(/[_,]/g, ''));
  if (!Number.isInteger(n) || n < 1 || n > maxDemoPeople)
    throw new InvalidArgumentError(`give a whole number from 1 to ${maxDemoPeople}.`);
  return n;
}

const number = (n: number) => n.toLocaleString('en-US');

/** The lines `tocsin demo` prints about a campus it created. */
function describeDemoCampus(s: DemoCampusSummary): string[] {
  return [
    `Demo campus on ${s.campus} (seed "${s.seed}")${s.replaced ? `, replacing ${number(s.replaced.people)} demo people` : ''}:`,
    `  ${number(s.people)} people (${number(s.students)} students, ${number(s.employees)} employees, ${number(s.affiliates)} affiliates)`,
    `  ${number(s.contacts)} contacts (example.edu emails, +1 AAA 555-01XX mobiles; ${number(s.smsOptedOut)} opted out of SMS)`,
    `  ${s.buildings} buildings, ${s.residenceHalls} residence halls, ${s.zones} zones, each with a Clery class`,
    `  ${s.groups} groups (${number(s.groupMembers)} static members)`,
    `  Written in ${(s.milliseconds / 1000).toFixed(1)} s.`,
  ];
}

/** demo: fill an empty directory with a fictional campus and one operator per role. */
export function registerDemoCommands(program: Command): void {
  program
    .command('demo')
    .description(
      'Create a fictional demo campus (locations, people, contacts, groups) and one operator per role, in an empty directory',
    )
    .option('--people <n>', `how many people (1 to ${number(maxDemoPeople)})`, peopleCount, defaultDemoPeople)
    .option('--seed <text>', 'the same seed always builds the same campus', defaultDemoSeed)
    .option('--campus <slug>', "the profile's campus to fill (default: its first)")
    .option('--replace', 'replace an earlier demo campus (refused if the directory holds anything else)')
    .option('--remove', 'remove an earlier demo campus and create nothing (same refusal)')
    .option('--no-operators', 'do not create the demo-<role> operators')
    .action((opts: DemoOptions) =>
      withSystem(async ({ ctx }) => {
        if (opts.remove) {
          const removed = await removeDemoCampus(ctx, cliActor(), opts.campus);
          console.log(
            removed
              ? `Removed the demo campus: ${number(removed.people)} people, ${removed.locations} locations, ${removed.groups} groups.`
              : 'The directory is already empty.',
          );
          return;
        }
        const summary = await generateDemoCampus(ctx, cliActor(), {
          people: opts.people,
          seed: opts.seed,
          campus: opts.campus,
          replace: opts.replace,
        });
        console.log(describeDemoCampus(summary).join('\n'));
        if (!opts.operators) return;
        const operators = await createDemoOperators(ctx, cliActor(), noRequest);
        console.log(
          '\nDemo operators (one-time secrets, shown once; each chooses a password and, for privileged roles, enrols two-factor authentication at first sign-in):',
        );
        for (const op of operators)
          console.log(
            `  ${op.username.padEnd(32)} ${op.oneTimeSecret ?? `exists already (new secret: tocsin users reset-password ${op.username})`}`,
          );
      }),
    );
}
