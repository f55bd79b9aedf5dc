import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../platform/config.js';
import { ProfileError } from '../platform/profile.js';
import { loadProfile, parseProfile } from './profile.js';
import { permissionsForRoles, requiresMfa, rolesForGroups } from '../identity/roles.policy.js';

const mitFile = path.join(packageRoot, 'profiles', 'mit.yaml');
const mitText = readFileSync(mitFile, 'utf8');

/** The MIT profile with one field changed, as YAML text. */
function mitWith(pathParts: (string | number)[], value: unknown): string {
  const doc = parseDocument(mitText);
  if (value === undefined) doc.deleteIn(pathParts);
  else doc.setIn(pathParts, value);
  return doc.toString();
}

function problemsOf(text: string): string[] {
  try {
    parseProfile(text, 'test.yaml');
  } catch (error) {
    if (error instanceof ProfileError) return error.problems;
    throw error;
  }
  return [];
}

describe('the MIT policy profile', () => {
  const mit = loadProfile(mitFile);

  it('lets MIT Emergency Management and MIT Police send every kind of alert, and no one else', () => {
    for (const kind of ['emergency', 'operations', 'test'] as const) {
      expect(mit.alerts.kinds[kind].sendRoles.sort()).toEqual(['emergency_management', 'police_dispatcher']);
    }
    const senders = Object.keys(mit.roles).filter((r) =>
      permissionsForRoles(mit, [r]).has('alerts.send.emergency'),
    );
    expect(senders.sort()).toEqual(['emergency_management', 'police_dispatcher']);
  });

  it('carries the hazard catalogue with CAP defaults', () => {
    const codes = mit.alerts.hazards.map((h) => h.code);
    for (const code of [
      'active_threat',
      'shelter_in_place',
      'evacuate',
      'fire',
      'hazardous_materials',
      'severe_weather',
      'utility_outage',
      'campus_closure',
      'public_health',
      'all_clear',
      'test',
    ]) {
      expect(codes).toContain(code);
    }
    expect(mit.alerts.hazards.find((h) => h.code === 'shelter_in_place')!.cap).toMatchObject({
      responseType: 'Shelter',
      urgency: 'Immediate',
    });
  });

  it('keeps card-reader logs and video for 14 days', () => {
    expect(mit.retention.cardReaderLogDays).toBe(14);
    expect(mit.retention.videoDays).toBe(14);
  });

  it('gives only the Chief of Police the right to request card-reader tracking data', () => {
    expect(mit.securityOffice.cardLogInvestigationRequesterRoles).toEqual(['police_chief']);
    expect(mit.securityOffice.cardLogRequiresSignedWrittenRequest).toBe(true);
  });

  it('tests panic buttons every other year and lists the police emergency numbers', () => {
    expect(mit.duress.testIntervalMonths).toBe(24);
    const police = mit.emergencyContacts.find((c) => c.name.startsWith('MIT Police (emergencies)'));
    expect(police).toMatchObject({ phone: '617-253-1212', campusPhone: '100', emergency: true });
  });

  it('requires MFA of the alert senders and maps IdP groups to roles', () => {
    expect(requiresMfa(mit, ['police_dispatcher'])).toBe(true);
    expect(requiresMfa(mit, ['viewer'])).toBe(false);
    expect(rolesForGroups(mit, ['mit-police', 'unrelated', 'emergency-management'])).toEqual([
      'emergency_management',
      'police_dispatcher',
    ]);
  });
});

describe('a malformed profile', () => {
  it.each([
    [['retention', 'cardReaderLogDays'], 'fourteen', 'retention.cardReaderLogDays'],
    [['retention', 'videoDays'], undefined, 'retention.videoDays'],
    [['roles', 'viewer', 'permissions'], ['alerts.read', 'alerts.snd'], 'roles.viewer.permissions.1'],
    [
      ['alerts', 'kinds', 'emergency', 'sendRoles'],
      ['emergency_management', 'janitor'],
      'role "janitor" is not declared',
    ],
    [['security', 'passwordMinLength'], 4, 'security.passwordMinLength'],
    [['institution', 'surprise'], 'x', 'institution'],
    [['securityOffice', 'videoAudioRecordingAllowed'], true, 'audio recording must stay disabled'],
    [['security', 'mfaRequiredForPrivilegedRoles'], false, 'privileged roles always need MFA'],
  ])('names the field when %j is %j', (field, value, expected) => {
    const problems = problemsOf(mitWith(field, value));
    expect(problems.join('\n')).toContain(expected);
  });

  it.each([
    [[{ name: 'speakers', url: 'https://paging.example.edu/hook', format: 'webhook' }], 'needs a secret'],
    [[{ name: 'speakers', url: 'ftp://paging.example.edu/', format: 'cap' }], 'must be an http(s) URL'],
    [
      [{ name: 'Speakers!', url: 'https://paging.example.edu/', format: 'cap' }],
      'alerts.pagingServers.0.name',
    ],
    [
      [{ name: 'speakers', url: 'https://paging.example.edu/', format: 'sip' }],
      'alerts.pagingServers.0.format',
    ],
    [
      [
        { name: 'speakers', url: 'https://a.example.edu/', format: 'cap' },
        { name: 'speakers', url: 'https://b.example.edu/', format: 'cap' },
      ],
      '"speakers" appears twice',
    ],
  ])('checks paging servers: %j', (servers, expected) => {
    expect(problemsOf(mitWith(['alerts', 'pagingServers'], servers)).join('\n')).toContain(expected);
  });

  it('has the Office phones channel and no paging server in MIT’s profile, and pages only on that channel', () => {
    const mit = loadProfile(mitFile);
    expect(mit.alerts.channels).toContain('office_phones');
    expect(mit.alerts.pagingServers).toEqual([]);
    const channels = mit.alerts.channels.filter((c) => c !== 'office_phones');
    const withoutChannel = parseDocument(
      mitWith(['alerts', 'pagingServers'], [{ name: 'ic', url: 'https://ic.example.edu/', format: 'cap' }]),
    );
    withoutChannel.setIn(['alerts', 'channels'], channels);
    expect(problemsOf(withoutChannel.toString()).join('\n')).toContain(
      'alerts.pagingServers: paging servers are reached on the office_phones channel',
    );
  });

  it('needs every hazard written in the primary language', () => {
    const problems = problemsOf(mitWith(['alerts', 'hazards', 0, 'templates', 'en'], undefined));
    expect(problems.join('\n')).toContain('alerts.hazards.0.templates: needs the primary language "en"');
  });

  it('carries MIT red and refuses a brand colour white text cannot be read on (WCAG AA)', () => {
    expect(loadProfile(mitFile).branding).toEqual({ primaryColour: '#A31F34', accentColour: '#8A8B8C' });
    expect(problemsOf(mitWith(['branding', 'primaryColour'], '#8A8B8C')).join('\n')).toContain(
      'branding.primaryColour: needs a contrast of at least 4.5:1 against white',
    );
    expect(problemsOf(mitWith(['branding', 'primaryColour'], 'red')).join('\n')).toContain(
      'branding.primaryColour: a colour as #rrggbb',
    );
  });

  it('catches a role that sends alerts without the matching permission', () => {
    const problems = problemsOf(
      mitWith(['roles', 'viewer', 'permissions'], ['alerts.read', 'alerts.send.emergency']),
    );
    expect(problems.join('\n')).toMatch(/roles\.viewer\.permissions: grants alerts\.send\.emergency/);
  });

  it('reports broken YAML and a missing file', () => {
    expect(problemsOf('version: 1\n  bad: [indent')[0]).toMatch(/^YAML/);
    expect(() => loadProfile('/nonexistent/profile.yaml')).toThrow(/cannot read the file/);
  });
});
