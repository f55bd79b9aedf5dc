import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../identity/principal.js';
import type { Permission } from '../identity/permissions.js';
import { packageRoot } from '../platform/config.js';
import { loadProfile } from '../app/profile.js';
import { previewTiming } from './preview-alert.js';
import { initiationIsLate } from './send-alert.policy.js';
import { hazardKindProblem, sendableKinds, sendOptionsFor, unknownChannels } from './send-options.js';

const mit = loadProfile(path.join(packageRoot, 'profiles', 'mit.yaml'));
const confirmedAt = new Date('2026-11-21T15:00:00Z');
const at = (minutes: number) => new Date(confirmedAt.getTime() + minutes * 60_000);

function operator(roles: string[]): Principal {
  const permissions = new Set(roles.flatMap((r) => mit.roles[r]?.permissions ?? []) as Permission[]);
  return {
    kind: 'session',
    actor: { type: 'operator', id: 'x', label: 'x' },
    operatorId: 'x',
    username: 'x',
    displayName: 'X',
    roles,
    permissions,
    stage: 'active',
    sessionIdHash: 'x',
    csrfToken: 'x',
    mfaEnrolled: true,
    mfaRequired: true,
    expiresAt: at(600),
    idleExpiresAt: at(30),
  } as Principal;
}
const token = (permissions: Permission[]): Principal =>
  ({
    kind: 'token',
    actor: { type: 'api_token', id: 't', label: 't' },
    tokenId: 't',
    permissions: new Set(permissions),
  }) as Principal;

describe('the kinds a caller may send', () => {
  it.each([
    ['a dispatcher', operator(['police_dispatcher']), ['emergency', 'operations', 'test', 'exercise']],
    [
      'emergency management',
      operator(['emergency_management']),
      ['emergency', 'operations', 'test', 'exercise'],
    ],
    ['a viewer', operator(['viewer']), []],
    ['an administrator', operator(['administrator']), []],
    ['the police chief', operator(['police_chief']), []],
    ['a token with test only', token(['alerts.read', 'alerts.send.test']), ['test', 'exercise']],
    ['a token with emergency only', token(['alerts.send.emergency']), ['emergency']],
  ])('%s', (_name, principal, kinds) => {
    expect(sendableKinds(mit, principal)).toEqual(kinds);
  });
});

describe('whether initiation waited past the threshold (15 minutes at MIT)', () => {
  it.each([
    [0, false],
    [14, false],
    [15, false],
    [15.01, true],
    [60, true],
    [-5, false],
  ])('%s minutes after confirmation: %s', (minutes, late) => {
    expect(initiationIsLate(confirmedAt, at(minutes), mit)).toBe(late);
  });
});

describe('the timing a preview reports', () => {
  it.each([
    ['an emergency on time', 'emergency', confirmedAt, 10, false, '2026-11-21T15:15:00.000Z'],
    ['an emergency past the threshold', 'emergency', confirmedAt, 16, true, '2026-11-21T15:15:00.000Z'],
    ['an emergency not yet confirmed', 'emergency', null, 16, false, null],
    ['a test long after', 'test', confirmedAt, 600, false, null],
    ['an operations alert long after', 'operations', confirmedAt, 600, false, null],
  ] as const)('%s', (_name, kind, confirmed, minutes, required, lateAfter) => {
    const timing = previewTiming({ profile: mit }, kind, confirmed, at(minutes));
    expect(timing).toMatchObject({ thresholdMinutes: 15, delayReasonRequired: required, lateAfter });
  });
});

describe('templates, kinds and channels', () => {
  it.each([
    ['shelter_in_place', 'test', null],
    ['shelter_in_place', 'operations', /not for operations alerts \(only emergency, test, exercise\)/],
    ['utility_outage', 'emergency', /not for emergency alerts/],
    ['test', 'exercise', null],
    ['a hazard the profile lacks', 'emergency', null],
  ] as const)('%s as %s', (hazard, kind, problem) => {
    const found = hazardKindProblem(mit, { name: 'T', hazard }, kind);
    if (problem === null) expect(found).toBeNull();
    else expect(found).toMatch(problem);
  });

  it('names the channels the profile lacks', () => {
    expect(unknownChannels(mit, ['sms', 'pigeon', 'email', 'fax'])).toEqual(['pigeon', 'fax']);
  });
});

describe('the send options', () => {
  it('gives a dispatcher every kind with the profile’s words, channels, reasons and suggestions', () => {
    const options = sendOptionsFor(mit, operator(['police_dispatcher']));
    expect(options.kinds.map((k) => k.kind)).toEqual(['emergency', 'operations', 'test', 'exercise']);
    expect(options.kinds[0]).toMatchObject({ title: 'Emergency notification', label: 'Emergency' });
    expect(options.kinds[1]!.defaultChannels).not.toContain('voice');
    expect(options.kinds[0]!.defaultChannels).toEqual(mit.alerts.channels);
    expect(options.hazards.find((h) => h.code === 'utility_outage')!.kinds).toEqual([
      'operations',
      'test',
      'exercise',
    ]);
    expect(options.channels.filter((c) => c.reachesPeople).map((c) => c.channel)).toEqual([
      'sms',
      'voice',
      'email',
      'office_phones',
    ]);
    expect(options.channels.find((c) => c.channel === 'office_phones')?.label).toBe('Office phones');
    expect(options.languages).toEqual([
      { code: 'en', name: 'English', primary: true },
      {
        code: 'es',
        name: 'Spanish',
        primary: false,
        detailsInPrimaryLanguage: mit.alerts.detailsInPrimaryLanguage.es,
      },
    ]);
    expect(options.delayReasons.map((r) => r.reason)).toEqual(mit.alerts.delayReasons);
    expect(options.delayReasons[0]!.label).toMatch(/assist a victim/);
    expect(options.initiationDelayThresholdMinutes).toBe(15);
    expect(options.confirmationSources).toContain('MIT Police officer on scene');
  });

  it('gives a viewer no kinds and no hazard any kind', () => {
    const options = sendOptionsFor(mit, operator(['viewer']));
    expect(options.kinds).toEqual([]);
    expect(options.hazards.every((h) => h.kinds.length === 0)).toBe(true);
  });
});
