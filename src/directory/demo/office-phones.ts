import { usAreaCodes } from './area-codes.js';
import type { DemoPerson } from './demo-plan.js';

/** Office numbers a demo campus hands out (one area code's fictional block). */
const maxOfficeNumbers = 100;
/** Every fifth holder shares the previous holder's number, as a lab or a front desk does. */
const sharedEvery = 5;

/**
 * The demo campus's office phones by externalId: employees with a home building, in plan order,
 * get +1 AAA 555 01XX numbers from the first area code no demo mobile uses (so no office number is
 * anyone's mobile, which would have its texts suppressed); every fifth one shares the number before
 * it. Drawn from the plan alone (no random numbers), so a seed's people stay what they were. A
 * campus so large that its mobiles use every area code gets no office phones.
 */
export function demoOfficePhones(people: readonly DemoPerson[]): Map<string, string> {
  const mobiles = people.filter((p) => p.mobile !== null).length;
  const areaCode = usAreaCodes[Math.ceil(mobiles / 100)];
  const phones = new Map<string, string>();
  if (areaCode === undefined) return phones;
  let numbers = 0;
  let holders = 0;
  for (const p of people) {
    if (p.affiliation !== 'employee' || !p.homeBuilding) continue;
    const shares = holders % sharedEvery === sharedEvery - 1 && numbers > 0;
    if (!shares) {
      if (numbers === maxOfficeNumbers) break;
      numbers += 1;
    }
    phones.set(p.externalId, `+1${areaCode}55501${String(numbers - 1).padStart(2, '0')}`);
    holders += 1;
  }
  return phones;
}
