import { describe, expect, it } from 'vitest';
import { isAppError } from '../../platform/errors.js';
import { planGroupPatch } from './scim-group-patch.js';
import { personFromScim, type MappingRules } from './scim-mapping.js';
import { applyUserPatch, patchOperations } from './scim-patch.js';
import { patchOp } from './scim-test-support.js';
import { urn } from './scim-urns.js';

const user = () => ({
  schemas: [urn.user],
  id: 'c6a0c1c8-0000-4000-8000-000000000001',
  userName: 'jdoe@mit.edu',
  name: { givenName: 'Jane', familyName: 'Doe' },
  displayName: 'Jane Doe',
  active: true,
  emails: [{ value: 'jdoe@mit.edu', type: 'work', primary: true }],
  phoneNumbers: [{ value: '+16175550123', type: 'mobile', primary: true }],
  meta: { resourceType: 'User' },
});
const patch = (...ops: unknown[]) => applyUserPatch(user(), patchOperations(patchOp(...ops)));
const rules: MappingRules = {
  defaultPhoneRegion: 'US',
  affiliationValues: { student: ['student'], employee: ['staff'], affiliate: ['affiliate'] },
};
function scimTypeOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return isAppError(error) ? (error.details as { scimType: string }).scimType : error;
  }
  return 'no error';
}

describe('applyUserPatch', () => {
  it('reads op names in any case', () => {
    expect(patch({ op: 'Replace', path: 'displayName', value: 'J' }).displayName).toBe('J');
    expect(patch({ op: 'REMOVE', path: 'displayName' }).displayName).toBeUndefined();
  });

  it('applies a path-less value with dotted, URN-prefixed and nested-URN keys', () => {
    const doc = patch({
      op: 'replace',
      value: {
        'name.givenName': 'Janet',
        [`${urn.enterpriseUser}:department`]: 'Physics',
        [urn.user]: { displayName: 'JD' },
        id: 'ignored',
        nickName: 'ignored too',
      },
    });
    expect(doc).toMatchObject({
      name: { givenName: 'Janet', familyName: 'Doe' },
      displayName: 'JD',
      id: user().id,
    });
    expect(doc[urn.enterpriseUser]).toEqual({ department: 'Physics' });
    expect(doc.nickName).toBeUndefined();
  });

  it('merges a complex value and keeps sub-attributes it does not name', () => {
    expect(patch({ op: 'replace', path: 'name', value: { FamilyName: 'Smith' } }).name).toEqual({
      givenName: 'Jane',
      familyName: 'Smith',
    });
  });

  it('replaces the matching element of a value path, or adds one the filter describes', () => {
    expect(patch({ op: 'replace', path: 'emails[type eq "work"].value', value: 'j@mit.edu' }).emails).toEqual(
      [{ value: 'j@mit.edu', type: 'work', primary: true }],
    );
    expect(
      patch({ op: 'replace', path: 'phoneNumbers[type eq "work"].value', value: '6172531212' }).phoneNumbers,
    ).toEqual([
      { value: '+16175550123', type: 'mobile', primary: true },
      { value: '6172531212', type: 'work' },
    ]);
  });

  it('adds to and removes from multi-valued attributes; a new primary demotes the old', () => {
    const added = patch({
      op: 'add',
      path: 'emails',
      value: [{ value: 'b@mit.edu', type: 'home', primary: true }],
    });
    expect(added.emails).toEqual([
      { value: 'jdoe@mit.edu', type: 'work', primary: false },
      { value: 'b@mit.edu', type: 'home', primary: true },
    ]);
    expect(patch({ op: 'remove', path: 'emails[value eq "JDOE@mit.edu"]' }).emails).toEqual([]);
    expect(patch({ op: 'remove', path: 'phoneNumbers' }).phoneNumbers).toEqual([]);
  });

  it('drops standard attributes Tocsin does not keep', () => {
    const doc = patch(
      { op: 'replace', path: 'title', value: 'Dean' },
      { op: 'replace', path: 'addresses[type eq "work"].streetAddress', value: '77 Mass Ave' },
      { op: 'replace', path: `${urn.enterpriseUser}:manager`, value: { value: 'x' } },
    );
    expect(doc).toEqual(user());
  });

  it.each([
    [{ op: 'replace', path: 'shoeSize', value: 1 }, 'invalidPath'],
    [{ op: 'replace', path: 'name.nickname', value: 'x' }, 'invalidPath'],
    [{ op: 'replace', path: 'displayName[type eq "x"]', value: 'x' }, 'invalidPath'],
    [{ op: 'replace', path: 'urn:example:custom:1.0:User:badge', value: 'x' }, 'invalidPath'],
    [{ op: 'replace', path: 'emails[type eq ]', value: 'x' }, 'invalidFilter'],
    [{ op: 'replace', path: 'id', value: 'x' }, 'mutability'],
    [{ op: 'remove' }, 'noTarget'],
    [{ op: 'replace', value: 'not an object' }, 'invalidSyntax'],
    [{ op: 'move', path: 'displayName', value: 'x' }, 'invalidSyntax'],
    [{ op: 'replace', path: 'displayName' }, 'invalidSyntax'],
  ])('refuses %j with %s', (op, scimType) => {
    expect(scimTypeOf(() => patch(op))).toBe(scimType);
  });
});

describe('personFromScim after a patch', () => {
  it('reads Entra ID’s string booleans', () => {
    expect(personFromScim(patch({ op: 'Replace', path: 'active', value: 'False' }), rules).active).toBe(
      false,
    );
    expect(scimTypeOf(() => personFromScim({ ...user(), active: 'nope' }, rules))).toBe('invalidValue');
  });

  it('sends mobile numbers to texts and calls, work numbers to office phones, other numbers to calls, and skips fax', () => {
    const fields = personFromScim(
      {
        ...user(),
        phoneNumbers: [
          { value: 'tel:+1-617-555-0123', type: 'mobile' },
          { value: '617-253-1212', type: 'other' },
          { value: '617-253-0000', type: 'fax' },
          { value: '617-253-4000', type: 'Work' },
          // Given as a mobile and as a work number: an office phone, never texted.
          { value: '617-253-5000', type: 'mobile' },
          { value: '+16172535000', type: 'work' },
        ],
      },
      rules,
    );
    expect(fields.contacts).toEqual({
      email: [{ address: 'jdoe@mit.edu', primary: true }],
      sms: [{ address: '+16175550123', primary: true }],
      voice: [
        { address: '+16175550123', primary: true },
        { address: '+16172531212', primary: false },
      ],
      office_phone: [
        { address: '+16172534000', primary: true },
        { address: '+16172535000', primary: false },
      ],
    });
  });

  it('falls back to "given family" for displayName and to en for preferredLanguage', () => {
    const { displayName: _d, ...rest } = user();
    expect(personFromScim(rest, rules)).toMatchObject({ displayName: 'Jane Doe', preferredLanguage: 'en' });
    expect(personFromScim({ ...rest, preferredLanguage: 'fr_ca' }, rules).preferredLanguage).toBe('fr-CA');
  });
});

describe('planGroupPatch', () => {
  const plan = (...ops: unknown[]) => planGroupPatch(patchOperations(patchOp(...ops)));
  it('plans Entra ID and Okta member changes in order', () => {
    expect(
      plan(
        { op: 'Add', path: 'members', value: [{ value: 'a' }, { value: 'b' }] },
        { op: 'Remove', path: 'members', value: [{ $ref: null, value: 'a' }] },
        { op: 'remove', path: 'members[value eq "b" or value eq "c"]' },
        { op: 'replace', value: { id: 'g', displayName: 'New name', externalId: 'x' } },
      ),
    ).toEqual({
      displayName: 'New name',
      externalId: 'x',
      members: [
        { kind: 'add', ids: ['a', 'b'] },
        { kind: 'remove', ids: ['a'] },
        { kind: 'remove', ids: ['b', 'c'] },
      ],
    });
    expect(plan({ op: 'remove', path: 'members' }).members).toEqual([{ kind: 'set', ids: [] }]);
  });

  it('refuses what it cannot do', () => {
    expect(scimTypeOf(() => plan({ op: 'remove', path: 'members[display eq "x"]' }))).toBe('invalidFilter');
    expect(scimTypeOf(() => plan({ op: 'remove', path: 'displayName' }))).toBe('mutability');
    expect(scimTypeOf(() => plan({ op: 'add', path: 'members', value: [{ display: 'x' }] }))).toBe(
      'invalidValue',
    );
  });
});
