import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { Permission } from '../identity/permissions.js';
import { profileSchema, type Profile } from './profile.schema.js';

export type { Profile } from './profile.schema.js';

/** Raised when the policy profile cannot be used; the message names every bad field and why. */
export class ProfileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`Invalid policy profile ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ProfileError';
  }
}

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

/** Parse and validate profile YAML text. */
export function parseProfile(text: string, file = '<profile>'): Profile {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ProfileError(
      file,
      doc.errors.map((e) => `YAML: ${e.message.split('\n')[0]}`),
    );
  }
  const parsed = profileSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    throw new ProfileError(
      file,
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  const problems = crossCheck(parsed.data);
  if (problems.length > 0) throw new ProfileError(file, problems);
  return parsed.data;
}

/** Rules that span fields: every role a list names must be declared. */
function crossCheck(profile: Profile): string[] {
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
  const problems = references.flatMap(([field, roles]) =>
    roles.filter((r) => !declared.has(r)).map((r) => `${field}: role "${r}" is not declared under roles`),
  );
  const bootstrap = profile.roles[profile.bootstrapRole];
  if (bootstrap && !bootstrap.permissions.includes('operators.manage')) {
    problems.push(
      `bootstrapRole: role "${profile.bootstrapRole}" must have operators.manage so the first administrator can add others`,
    );
  }
  const primary = profile.alerts.languages[0]!;
  const codes = new Set<string>();
  for (const [i, h] of profile.alerts.hazards.entries()) {
    if (codes.has(h.code)) problems.push(`alerts.hazards.${i}.code: "${h.code}" appears twice`);
    codes.add(h.code);
    if (!h.templates[primary])
      problems.push(`alerts.hazards.${i}.templates: needs the primary language "${primary}"`);
    for (const lang of Object.keys(h.templates)) {
      if (!profile.alerts.languages.includes(lang))
        problems.push(`alerts.hazards.${i}.templates.${lang}: "${lang}" is not in alerts.languages`);
    }
  }
  for (const [kind, definition] of Object.entries(profile.alerts.kinds)) {
    for (const channel of definition.defaultChannels ?? []) {
      if (!profile.alerts.channels.includes(channel))
        problems.push(`alerts.kinds.${kind}.defaultChannels: "${channel}" is not in alerts.channels`);
    }
    const permission = `alerts.send.${kind}` as Permission;
    for (const [name, role] of Object.entries(profile.roles)) {
      const listed = definition.sendRoles.includes(name);
      const granted = role.permissions.includes(permission);
      if (listed !== granted) {
        problems.push(
          `roles.${name}.permissions: ${listed ? 'lacks' : 'grants'} ${permission} but alerts.kinds.${kind}.sendRoles ${listed ? 'lists' : 'does not list'} the role; make them agree`,
        );
      }
    }
  }
  return problems;
}
