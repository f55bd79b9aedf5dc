import { describe, expect, it } from 'vitest';
import { isReservedFictional, normalizeEmail, normalizePhone } from '../contacts.policy.js';
import { checkGroupRule } from '../group-rule.policy.js';
import { outlineProblem } from '../manage-location.js';
import { usAreaCodes } from './area-codes.js';
import { demoDepartments, demoLocations } from './campus-catalog.js';
import { ascii, fictionalMobile, planDemoCampus } from './demo-plan.js';
import { seededRandom } from './random.js';

const plan = planDemoCampus({ people: 500, seed: 'shapes' });

describe('demo campus plan', () => {
  it('is the same for the same seed and different for another', () => {
    expect(planDemoCampus({ people: 500, seed: 'shapes' })).toEqual(plan);
    const other = planDemoCampus({ people: 500, seed: 'other' });
    expect(other.people.map((p) => p.email)).not.toEqual(plan.people.map((p) => p.email));
    const a = seededRandom('x');
    const b = seededRandom('x');
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(Array.from({ length: 5 }, () => b.next()));
  });

  it('gives every location a unique code (ignoring case), a zone that exists and a usable outline', () => {
    const codes = demoLocations.map((l) => l.code.toUpperCase());
    expect(new Set(codes).size).toBe(codes.length);
    for (const l of plan.locations) {
      expect(l.code).toMatch(/^[A-Za-z0-9][A-Za-z0-9. -]{0,39}$/);
      if (l.zone) expect(demoLocations.find((z) => z.code === l.zone)?.kind).toBe('zone');
      if (l.outline) expect(outlineProblem(l.outline)).toBeNull();
    }
    const clery = (code: string) => demoLocations.find((l) => l.code === code)?.cleryClass;
    expect(clery('W7')).toBe('on_campus_student_housing');
    expect(clery('32')).toBe('on_campus');
    expect(clery('MASS-AVE')).toBe('public_property');
    expect(clery('ENDICOTT')).toBe('noncampus');
    const buildings = new Set(demoLocations.filter((l) => l.kind === 'building').map((l) => l.code));
    for (const d of demoDepartments)
      for (const b of d.buildings) expect(buildings, `${d.name} ${b}`).toContain(b);
  });

  it('lays the outlines out on the Cambridge campus: each place inside its zone, none overlapping', () => {
    const bounds = (code: string) => {
      const outline = plan.locations.find((l) => l.code === code)?.outline as
        { coordinates: number[][][] } | undefined;
      const ring = outline!.coordinates[0]!;
      const xs = ring.map((p) => p[0]!);
      const ys = ring.map((p) => p[1]!);
      return { w: Math.min(...xs), e: Math.max(...xs), s: Math.min(...ys), n: Math.max(...ys) };
    };
    type Box = ReturnType<typeof bounds>;
    const overlap = (a: Box, b: Box) => a.w < b.e && b.w < a.e && a.s < b.n && b.s < a.n;
    const drawn = plan.locations.filter((l) => l.outline);
    const offCampus = plan.locations.filter((l) => l.cleryClass === 'noncampus');
    expect(offCampus.every((l) => l.outline === null)).toBe(true);
    expect(drawn.length).toBe(plan.locations.length - offCampus.length);
    for (const level of [drawn.filter((l) => l.kind === 'zone'), drawn.filter((l) => l.kind !== 'zone')])
      for (const [i, a] of level.entries())
        for (const b of level.slice(i + 1))
          expect(overlap(bounds(a.code), bounds(b.code)), `${a.code} / ${b.code}`).toBe(false);
    for (const l of drawn.filter((x) => x.zone)) {
      const inner = bounds(l.code);
      const zone = bounds(l.zone!);
      expect(inner.w >= zone.w && inner.e <= zone.e && inner.s >= zone.s && inner.n <= zone.n, l.code).toBe(
        true,
      );
    }
    // Around MIT: 42.36 N, 71.09 W.
    expect(bounds('W20').s).toBeCloseTo(42.357, 2);
    expect(bounds('W20').w).toBeCloseTo(-71.097, 2);
  });

  it('gives people unique valid emails, institutional ids and fictional E.164 mobiles', () => {
    const emails = plan.people.map((p) => p.email);
    expect(new Set(emails).size).toBe(emails.length);
    for (const email of emails) expect(normalizeEmail(email)).toEqual({ ok: true, address: email });
    for (const p of plan.people) expect(p.email).toMatch(/^[a-z]+\.[a-z]+\.\d+@example\.edu$/);
    const ids = plan.people.map((p) => p.institutionalId.toLowerCase());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]{2,100}$/);
    const mobiles = plan.people.flatMap((p) => (p.mobile ? [p.mobile] : []));
    expect(new Set(mobiles).size).toBe(mobiles.length);
    for (const mobile of mobiles) {
      expect(normalizePhone(mobile, 'US')).toEqual({ ok: true, address: mobile });
      expect(isReservedFictional(mobile)).toBe(true);
    }
  });

  it('mixes affiliations, places and languages like a campus', () => {
    const share = (f: (p: (typeof plan.people)[number]) => boolean) => plan.people.filter(f).length / 500;
    expect(share((p) => p.affiliation === 'student')).toBeCloseTo(0.6, 1);
    expect(share((p) => p.affiliation === 'employee')).toBeCloseTo(0.35, 1);
    expect(share((p) => p.affiliation === 'student' && p.residenceHall !== null)).toBeGreaterThan(0.4);
    expect(
      plan.people.filter((p) => p.affiliation === 'employee').every((p) => p.homeBuilding && p.department),
    ).toBe(true);
    expect(new Set(plan.people.map((p) => p.language))).toEqual(new Set(['en', 'es', 'zh']));
    expect(share((p) => p.language === 'en')).toBeGreaterThan(0.8);
    for (const g of plan.groups) {
      if (g.rule) expect(checkGroupRule(g.rule)).toEqual({ ok: true, rule: g.rule });
      else expect(g.members.length).toBeGreaterThan(0);
    }
  });

  it('numbers mobiles 555-0100 to 555-0199 per area code, Boston first', () => {
    expect(fictionalMobile(0)).toBe('+16175550100');
    expect(fictionalMobile(99)).toBe('+16175550199');
    expect(fictionalMobile(100)).toBe('+18575550100');
    expect(new Set(usAreaCodes).size).toBe(usAreaCodes.length);
    expect(fictionalMobile(usAreaCodes.length * 100)).toBe(fictionalMobile(0));
    expect(ascii("Zoë O'Brien-Müller")).toBe('zoeobrienmuller');
  });
});
