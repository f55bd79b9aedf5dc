import { describe, expect, it } from 'vitest';
import { checkGroupRule } from './group-rule.policy.js';

describe('dynamic group rules', () => {
  it.each([
    [{ affiliations: ['student'] }, { affiliations: ['student'] }],
    [
      { affiliations: ['student', 'employee', 'student'], departments: [' Physics ', 'Biology'] },
      { affiliations: ['employee', 'student'], departments: ['Biology', 'Physics'] },
    ],
    [{ buildingCodes: ['w20', 'E14'] }, { buildingCodes: ['E14', 'W20'] }],
    [{ residenceHallCodes: ['west-campus'] }, { residenceHallCodes: ['WEST-CAMPUS'] }],
  ])('accepts %j in canonical form', (input, rule) => {
    expect(checkGroupRule(input)).toEqual({ ok: true, rule });
  });

  it.each([
    [null, /must be an object/],
    [['student'], /must be an object/],
    [{}, /at least one of affiliations/],
    [{ affiliations: [] }, /affiliations is empty/],
    [{ affiliations: 'student' }, /must be a list of strings/],
    [{ affiliations: ['alumni'] }, /"alumni" is not an affiliation/],
    [{ departments: ['  '] }, /non-blank strings/],
    [{ departments: [42] }, /non-blank strings/],
    [{ buildingCodes: ['W20; drop table'] }, /not a location code/],
    [{ buildings: ['W20'] }, /rule\.buildings is not a known field/],
    [{ departments: Array.from({ length: 201 }, (_, i) => `D${i}`) }, /more than 200/],
  ])('refuses %j, saying why', (input, reason) => {
    const checked = checkGroupRule(input);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.problems.join('\n')).toMatch(reason);
  });
});
