import type { Affiliation, GroupRule } from '../directory.tables.js';
import { usAreaCodes } from './area-codes.js';
import { demoOutlines } from './campus-layout.js';
import {
  demoDepartments,
  demoLocations,
  demoResidenceHalls,
  type DemoDepartment,
  type DemoLocation,
} from './campus-catalog.js';
import { familyNames, givenNames } from './names.js';
import { seededRandom, type Random } from './random.js';

/** One fictional person of the demo campus, with their contacts. */
export interface DemoPerson {
  externalId: string;
  institutionalId: string;
  affiliation: Affiliation;
  active: boolean;
  givenName: string;
  familyName: string;
  department: string | null;
  homeBuilding: string | null;
  residenceHall: string | null;
  language: string;
  email: string;
  /** E.164, +1 AAA 555 01XX (reserved for fiction); null: no mobile. */
  mobile: string | null;
  /** Also called on the mobile for voice alerts. */
  voice: boolean;
  smsOptedOut: boolean;
}

export interface DemoGroup {
  externalId: string;
  name: string;
  description: string;
  kind: 'static' | 'dynamic';
  rule: GroupRule | null;
  /** Static groups: members by externalId. */
  members: string[];
}

export interface DemoLocationPlan extends DemoLocation {
  outline: object | null;
}

/** Everything a demo campus holds, before it is written. */
export interface DemoPlan {
  seed: string;
  locations: DemoLocationPlan[];
  people: DemoPerson[];
  groups: DemoGroup[];
}

/** Marks what the demo created, so `--replace` can tell it from real directory data. */
export const demoMarker = 'demo-';
const eecs = 'Electrical Engineering and Computer Science';
const languages = [
  { code: 'en', weight: 90 },
  { code: 'es', weight: 6 },
  { code: 'zh', weight: 4 },
];

/** Plan a demo campus of `people` fictional people; the same seed always gives the same plan. */
export function planDemoCampus(options: { people: number; seed: string }): DemoPlan {
  const random = seededRandom(options.seed);
  const outlines = demoOutlines();
  // Earlier plans drew two random numbers per building for its outline: they are still drawn, so a
  // seed gives the same people it always did.
  for (const l of demoLocations) {
    if (l.kind === 'zone') continue;
    random.next();
    random.next();
  }
  const locations = demoLocations.map((l) => ({ ...l, outline: outlines.get(l.code) ?? null }));
  const people: DemoPerson[] = [];
  let phones = 0;
  for (let i = 0; i < options.people; i += 1) {
    const person = planPerson(random, i, phones);
    if (person.mobile) phones += 1;
    people.push(person);
  }
  return { seed: options.seed, locations, people, groups: planGroups(people) };
}

function planPerson(random: Random, index: number, phoneIndex: number): DemoPerson {
  const roll = random.next();
  const affiliation: Affiliation = roll < 0.6 ? 'student' : roll < 0.95 ? 'employee' : 'affiliate';
  const givenName = random.pick(givenNames);
  const familyName = random.pick(familyNames);
  const n = index + 1;
  const place = placeOf(random, affiliation);
  const mobile = random.next() < 0.97 ? fictionalMobile(phoneIndex) : null;
  return {
    externalId: `${demoMarker}${String(n).padStart(6, '0')}`,
    institutionalId: `${ascii(givenName)[0]}${ascii(familyName).slice(0, 6)}${n}`,
    affiliation,
    active: random.next() >= 0.01,
    givenName,
    familyName,
    ...place,
    language: random.weighted(languages, (l) => l.weight).code,
    email: `${ascii(givenName)}.${ascii(familyName)}.${n}@example.edu`,
    mobile,
    voice: mobile !== null && affiliation === 'employee' && random.next() < 0.5,
    smsOptedOut: mobile !== null && random.next() < 0.008,
  };
}

function placeOf(random: Random, affiliation: Affiliation) {
  if (affiliation === 'student') {
    const hall =
      random.next() < 0.8 ? random.weighted(demoResidenceHalls, (h) => h.capacity ?? 0).code : null;
    const major = random.next() < 0.75 ? random.weighted(demoDepartments, (d) => d.studentWeight) : null;
    return { department: major?.name ?? null, homeBuilding: null, residenceHall: hall };
  }
  if (affiliation === 'affiliate' && random.next() < 0.5)
    return { department: null, homeBuilding: null, residenceHall: null };
  const department: DemoDepartment = random.weighted(demoDepartments, (d) => d.staffWeight);
  return {
    department: department.name,
    homeBuilding: random.pick(department.buildings),
    residenceHall: null,
  };
}

/**
 * The k-th fictional mobile number: 100 per area code (555-0100 to 555-0199), then the next area
 * code. Past the last area code numbers repeat; people may share a number, as households do.
 */
export function fictionalMobile(k: number): string {
  const areaCode = usAreaCodes[Math.floor(k / 100) % usAreaCodes.length]!;
  return `+1${areaCode}55501${String(k % 100).padStart(2, '0')}`;
}

/** Lower-case ASCII letters only, for email local parts and ids ("Zoë O'Brien" → zoe, obrien). */
export function ascii(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

function planGroups(people: DemoPerson[]): DemoGroup[] {
  const byDepartment = (name: string) => people.filter((p) => p.active && p.department === name);
  const responders = [...byDepartment('Environment, Health and Safety'), ...byDepartment('MIT Police')];
  const hallStaff = [
    ...byDepartment('Division of Student Life').slice(0, 40),
    // Two resident tutors per hall, from the students who live there.
    ...demoResidenceHalls.flatMap((h) =>
      people.filter((p) => p.residenceHall === h.code && p.active).slice(0, 2),
    ),
  ];
  const group = (name: string, description: string, rule: GroupRule | null, members: DemoPerson[] = []) => ({
    externalId: `${demoMarker}${ascii(name)}`,
    name,
    description,
    kind: rule ? ('dynamic' as const) : ('static' as const),
    rule,
    members: [...new Set(members.map((m) => m.externalId))],
  });
  return [
    group(
      'EHS responders',
      'Environment, Health and Safety and MIT Police staff on call',
      null,
      responders.slice(0, 40),
    ),
    group('Residence hall staff', 'Student Life staff and resident tutors', null, hallStaff),
    group('All students', 'Every active student', { affiliations: ['student'] }),
    group('All employees', 'Every active employee', { affiliations: ['employee'] }),
    group('West Campus residents', 'Everyone living in a West Campus residence hall', {
      residenceHallCodes: ['WEST'],
    }),
    group('EECS', 'Electrical Engineering and Computer Science', { departments: [eecs] }),
    group('Stata Center occupants', 'Staff whose home building is 32', { buildingCodes: ['32'] }),
  ];
}
