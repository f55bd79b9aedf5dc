import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../../../api/client';
import { useApi } from '../../../api/use-api';
import { RequirePermission } from '../../../layout/Forbidden';
import { useSession } from '../../../session/session-context';
import type { Group } from '../directory-types';
import { count, when } from '../labels';
import { ErrorNote, Loaded, usePageTitle } from '../ui';
import { useAction } from '../use-action';
import { GroupForm } from './GroupForm';
import { GroupMembers } from './GroupMembers';
import { ruleText } from './rule-text';

/** One group: its rule or its list, the people in it now; changes with directory.manage. */
export function GroupPage() {
  return (
    <RequirePermission permission="directory.read">
      <GroupLoader />
    </RequirePermission>
  );
}

function GroupLoader() {
  const { id } = useParams();
  const state = useApi<Group>(`/api/v1/groups/${id}`);
  return (
    <section className="dir">
      <p>
        <Link to="/console/groups">← Groups</Link>
      </p>
      <Loaded state={state} what="this group">
        {(group) => <GroupView group={group} reload={state.reload} />}
      </Loaded>
    </section>
  );
}

function GroupView({ group, reload }: { group: Group; reload: () => void }) {
  usePageTitle(group.name);
  const { can } = useSession();
  const manage = can('directory.manage');
  const navigate = useNavigate();
  const action = useAction();
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  // Bumped after the rule changes: the member list starts again from its first page.
  const [version, setVersion] = useState(0);
  const remove = () =>
    action.run(async () => {
      await api(`/api/v1/groups/${group.id}`, { method: 'DELETE' });
      navigate('/console/groups');
    });
  return (
    <>
      <h1>{group.name}</h1>
      <dl className="details">
        <dt>Kind</dt>
        <dd>{group.kind === 'static' ? 'Static: a list of people' : 'Dynamic: everyone the rule matches'}</dd>
        {group.kind === 'dynamic' && (
          <>
            <dt>Rule</dt>
            <dd>{ruleText(group.rule)}</dd>
          </>
        )}
        <dt>Members now</dt>
        <dd>
          {group.memberCount === undefined ? '—' : count(group.memberCount, 'active person', 'active people')}
        </dd>
        <dt>Description</dt>
        <dd>{group.description || '—'}</dd>
        <dt>Source</dt>
        <dd>{group.source}</dd>
        <dt>Last changed</dt>
        <dd>{when(group.updatedAt)}</dd>
      </dl>
      {manage && !editing && !deleting && (
        <div className="actions">
          <button type="button" onClick={() => setEditing(true)}>
            Edit the group
          </button>
          <button type="button" onClick={() => setDeleting(true)}>
            Delete…
          </button>
        </div>
      )}
      {deleting && (
        <div className="panel warning">
          <p>Delete the group {group.name}? The people in it stay in the directory.</p>
          <div className="actions">
            <button type="button" className="danger" disabled={action.pending} onClick={() => void remove()}>
              Delete {group.name}
            </button>
            <button type="button" onClick={() => setDeleting(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      <ErrorNote message={action.error} />
      {editing && (
        <GroupForm
          group={group}
          onSaved={() => {
            setEditing(false);
            reload();
            setVersion((v) => v + 1);
          }}
          onCancel={() => setEditing(false)}
        />
      )}
      <GroupMembers
        key={version}
        group={group}
        manage={manage && group.kind === 'static'}
        onChange={reload}
      />
    </>
  );
}
