import { describe, expect, it } from 'vitest';
import { isAppError } from '../../platform/errors.js';
import { matchesElement, parseFilter } from './scim-filter.js';

describe('parseFilter', () => {
  it.each([
    ['userName eq "bjensen"', { kind: 'compare', path: 'username', op: 'eq', value: 'bjensen' }],
    [
      'name.familyName co "O\'Malley"',
      { kind: 'compare', path: 'name.familyname', op: 'co', value: "O'Malley" },
    ],
    ['userName Sw "J"', { kind: 'compare', path: 'username', op: 'sw', value: 'J' }],
    ['title pr', { kind: 'present', path: 'title' }],
    ['active eq False', { kind: 'compare', path: 'active', op: 'eq', value: false }],
    [
      'meta.lastModified gt "2011-05-13T04:42:34Z"',
      { kind: 'compare', path: 'meta.lastmodified', op: 'gt', value: '2011-05-13T04:42:34Z' },
    ],
    [
      'urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"',
      { kind: 'compare', path: 'username', op: 'sw', value: 'J' },
    ],
    [
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "Physics"',
      {
        kind: 'compare',
        path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:user:department',
        op: 'eq',
        value: 'Physics',
      },
    ],
    [
      'externalId eq "a \\"quoted\\" id"',
      { kind: 'compare', path: 'externalid', op: 'eq', value: 'a "quoted" id' },
    ],
    ['count ge 2.5', { kind: 'compare', path: 'count', op: 'ge', value: 2.5 }],
  ])('reads %s', (text, expected) => {
    expect(parseFilter(text)).toEqual(expected);
  });

  it('binds and tighter than or, and honours parentheses and not', () => {
    expect(parseFilter('a eq "1" or b eq "2" and c eq "3"')).toMatchObject({
      kind: 'or',
      right: { kind: 'and' },
    });
    expect(parseFilter('(a eq "1" or b eq "2") and not (c eq "3")')).toMatchObject({
      kind: 'and',
      left: { kind: 'or' },
      right: { kind: 'not', filter: { kind: 'compare', path: 'c' } },
    });
  });

  it('reads value paths', () => {
    expect(parseFilter('emails[type eq "work" and value co "@example.com"]')).toMatchObject({
      kind: 'valuePath',
      path: 'emails',
      filter: { kind: 'and', left: { path: 'type' }, right: { op: 'co' } },
    });
  });

  it.each([
    ['', /empty/],
    ['userName', /ends where an operator/],
    ['userName eq', /ends where a value/],
    ['userName equals "x"', /Unknown operator "equals"/],
    ['userName eq bjensen', /Expected a value/],
    ['userName eq "open', /not closed/],
    ['(userName eq "x"', /ends where "\)"/],
    ['userName eq "x")', /Unexpected "\)"/],
    ['userName eq "x" and', /ends where an attribute/],
    ['"x" eq userName', /Expected an attribute name/],
    ['emails[type eq "work"', /ends where "\]"/],
    ['1abc eq "x"', /Expected an attribute name/],
    [`${'('.repeat(30)}a eq "1"${')'.repeat(30)}`, /nests deeper/],
    ['a eq "x" or '.repeat(300) + 'a eq "y"', /longer than 2000/],
  ])('refuses %j as invalidFilter', (text, message) => {
    try {
      parseFilter(text);
      expect.unreachable();
    } catch (error) {
      expect(isAppError(error) && error.details).toEqual({ scimType: 'invalidFilter' });
      expect((error as Error).message).toMatch(message);
    }
  });
});

describe('matchesElement', () => {
  const work = { type: 'work', value: 'Jane@MIT.edu', primary: true };
  it.each([
    ['type eq "WORK"', true],
    ['type eq "home"', false],
    ['value co "@mit."', true],
    ['value sw "jane" and primary eq true', true],
    ['not (type eq "work")', false],
    ['display pr', false],
    ['type ne "home"', true],
  ])('%s → %s', (filter, expected) => {
    expect(matchesElement(parseFilter(filter), work)).toBe(expected);
  });
});
