import { describe, expect, it } from 'vitest';
import type { DirectoryRecord } from './directory-record.js';
import { brakeVerdict, diffDirectory, type ExistingPerson } from './sync-diff.js';

const record = (id: string, over: Partial<DirectoryRecord> = {}): DirectoryRecord => ({
  institutionalId: id,
  affiliation: 'student',
  givenName: 'Ada',
  familyName: 'Lovelace',
  displayName: 'Ada Lovelace',
  department: 'Mathematics',
  homeBuildingCode: null,
  residenceHallCode: 'W71',
  preferredLanguage: 'en',
  emails: [`${id}@example.edu`],
  phones: ['+16175550101'],
  officePhones: [],
  ...over,
});
const existing = (id: string, over: Partial<ExistingPerson> = {}): ExistingPerson => ({
  id: `uuid-${id}`,
  status: 'active',
  ...record(id),
  ...over,
});

describe('the directory diff', () => {
  it('finds adds, changes and deactivations, and leaves the unchanged alone', () => {
    const diff = diffDirectory(
      [existing('ada'), existing('bob'), existing('cy'), existing('dee', { status: 'inactive' })],
      [
        record('ada'),
        record('BOB', { department: 'Physics', phones: [], emails: ['bob@example.edu'] }),
        record('dee'),
        record('eve'),
      ],
    );
    expect(diff.adds.map((r) => r.institutionalId)).toEqual(['eve']);
    expect(diff.changes).toEqual([
      {
        id: 'uuid-bob',
        record: expect.objectContaining({ institutionalId: 'BOB' }),
        fields: ['department', 'phones'],
      },
      { id: 'uuid-dee', record: expect.objectContaining({ institutionalId: 'dee' }), fields: ['status'] },
    ]);
    expect(diff.deactivations.map((p) => p.institutionalId)).toEqual(['cy']);
    expect(diff.unchanged).toBe(1);
  });

  it('notices a new primary email even when the set of emails is the same', () => {
    const diff = diffDirectory(
      [existing('ada', { emails: ['a@x.edu', 'b@x.edu'] })],
      [record('ada', { emails: ['b@x.edu', 'a@x.edu'] })],
    );
    expect(diff.changes[0]!.fields).toEqual(['emails']);
  });

  it('notices a new office phone', () => {
    const diff = diffDirectory([existing('ada')], [record('ada', { officePhones: ['+16172531212'] })]);
    expect(diff.changes[0]!.fields).toEqual(['officePhones']);
  });

  it('never deactivates a person whose row could not be read', () => {
    const diff = diffDirectory([existing('ada'), existing('bob')], [record('ada')], ['bob']);
    expect(diff.deactivations).toEqual([]);
  });
});

describe('the safety brake', () => {
  it.each([
    [0, 0, 5, false, true],
    [5, 100, 5, false, true],
    [6, 100, 5, false, false],
    [90, 100, 5, true, true],
    [1, 10, 5, false, false],
  ])(
    '%i deactivations of %i active at %i%% (forced %s): allowed %s',
    (deactivations, active, max, forced, allowed) => {
      const verdict = brakeVerdict(deactivations, active, max, forced);
      expect(verdict.allowed).toBe(allowed);
      if (!allowed) expect(verdict.message).toMatch(/more than the 5% the profile allows/);
    },
  );
});
