import { readFileSync } from 'node:fs';
import { alertsProfileProblems } from '../alerts/alerts.profile.js';
import { identityProfileProblems } from '../identity/identity.profile.js';
import { ProfileError, parseProfileText, type Profile } from '../platform/profile.js';
import { profileSchema } from './profile.schema.js';

/** Read, parse and validate a policy profile file. */
export function loadProfile(file: string): Profile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ProfileError(file, [`cannot read the file: ${(error as Error).message}`]);
  }
  return parseProfile(text, file);
}

/** Parse and validate profile YAML text: the composed schema, then every domain's cross-field rules. */
export function parseProfile(text: string, file = '<profile>'): Profile {
  return parseProfileText<Profile>(text, file, profileSchema, (profile) => [
    ...roleReferenceProblems(profile),
    ...identityProfileProblems(profile),
    ...alertsProfileProblems(profile),
  ]);
}

/** Every role a list names, in any section, must be declared under roles. */
function roleReferenceProblems(profile: Profile): string[] {
  const declared = new Set(Object.keys(profile.roles));
  const references: Array<[string, string[]]> = [
    ['bootstrapRole', [profile.bootstrapRole]],
    ...Object.entries(profile.alerts.kinds).map(([kind, k]): [string, string[]] => [
      `alerts.kinds.${kind}.sendRoles`,
      k.sendRoles,
    ]),
    ...Object.entries(profile.sso.groupRoles).map(([group, roles]): [string, string[]] => [
      `sso.groupRoles.${group}`,
      roles,
    ]),
    ['clery.timelyWarningIssuerRoles', profile.clery.timelyWarningIssuerRoles],
    ['duress.reviewRoles', profile.duress.reviewRoles],
    [
      'securityOffice.cardLogInvestigationRequesterRoles',
      profile.securityOffice.cardLogInvestigationRequesterRoles,
    ],
    ['securityOffice.videoExportApproverRoles', profile.securityOffice.videoExportApproverRoles],
    ['securityOffice.photoReleaseRequesterRoles', profile.securityOffice.photoReleaseRequesterRoles],
  ];
  return references.flatMap(([field, roles]) =>
    roles.filter((r) => !declared.has(r)).map((r) => `${field}: role "${r}" is not declared under roles`),
  );
}
