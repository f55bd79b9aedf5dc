import { writeAudit } from '../../audit/write-audit.js';
import type { AppContext } from '../../platform/context.js';
import type { Trx } from '../../platform/db/database.js';
import { leaveScimGroups } from './scim-groups.queries.js';
import type { PersonRow } from './scim-mapping.js';
import { markScimDeleted } from './scim-users.queries.js';
import { withLockedPerson, type ScimCaller } from './scim-users.js';

/**
 * Deprovision a person (DELETE /Users/:id). For SCIM the User is gone: every later request for it
 * answers 404 and lists leave it out (RFC 7644 §3.6), and it leaves the SCIM groups it was in. The
 * directory keeps the person, inactive at once (no more alerts), with their history and contacts,
 * until a POST with the same userName or externalId provisions them again.
 */
export async function deleteScimUser(ctx: AppContext, caller: ScimCaller, id: string): Promise<void> {
  await withLockedPerson(ctx, id, async (trx, person, _contacts, campusId) => {
    const now = ctx.clock.now();
    if (!(await markScimDeleted(trx, person.id, now))) return;
    const groups = await leaveScimGroups(trx, person.id, now);
    await writeAudit(trx, {
      actor: caller.actor,
      action: 'person.deprovision',
      target: { type: 'person', id: person.id },
      campusId,
      before: { status: person.status, scimDeleted: false },
      after: { status: 'inactive', scimDeleted: true, groupsLeft: groups.length },
      metadata: { via: 'scim', method: 'DELETE' },
      request: caller.request,
    });
    await auditGroupsLeft(trx, caller, { campusId, person, groups });
  });
}

interface GroupsLeft {
  campusId: string;
  person: PersonRow;
  groups: Array<{ id: string; name: string }>;
}

// One row per group, as any other change of its members writes (a person is in a few groups).
async function auditGroupsLeft(trx: Trx, caller: ScimCaller, left: GroupsLeft): Promise<void> {
  for (const group of left.groups) {
    await writeAudit(trx, {
      actor: caller.actor,
      action: 'group.update',
      target: { type: 'group', id: group.id },
      campusId: left.campusId,
      before: { name: group.name },
      after: { name: group.name, changed: ['members'], membersAdded: 0, membersRemoved: 1 },
      metadata: { via: 'scim', cause: 'user.delete', personId: left.person.id },
      request: caller.request,
    });
  }
}
