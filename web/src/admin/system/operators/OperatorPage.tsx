import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, errorMessage } from '../../../api/client';
import { useApi } from '../../../api/use-api';
import { useSession } from '../../../session/session-context';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { LoadState } from '../common/LoadState';
import { formatTime } from '../../../common/format';
import { OneTimeSecret } from './OneTimeSecret';
import { operatorActions, type OperatorAction } from './operator-actions';
import { mfaState, operatorState } from './OperatorsPage';
import { OperatorSessions } from './OperatorSessions';
import { RoleChoices, roleTitles } from './RoleChoices';
import type { Operator, RolesView } from './operator-types';

function Facts({ o, roles }: { o: Operator; roles: RolesView | null }) {
  return (
    <dl className="pairs">
      <div>
        <dt>Username</dt>
        <dd>{o.username}</dd>
      </div>
      <div>
        <dt>Email</dt>
        <dd>{o.email ?? '—'}</dd>
      </div>
      <div>
        <dt>Roles</dt>
        <dd>{roleTitles(o.roles, roles?.roles)}</dd>
      </div>
      <div>
        <dt>MFA</dt>
        <dd>{mfaState(o)}</dd>
      </div>
      <div>
        <dt>State</dt>
        <dd>{operatorState(o)}</dd>
      </div>
      <div>
        <dt>Signs in with</dt>
        <dd>{o.sso ? 'single sign-on (roles come from the identity provider)' : 'password'}</dd>
      </div>
      <div>
        <dt>Last sign-in</dt>
        <dd>{o.lastSignInAt ? formatTime(o.lastSignInAt) : 'Never'}</dd>
      </div>
      <div>
        <dt>Created</dt>
        <dd>{formatTime(o.createdAt)}</dd>
      </div>
    </dl>
  );
}

/** A confirm step for one change; shows the API's refusal (e.g. locking yourself out) in its words. */
function useConfirmedChange(onDone: (notice: string, secret?: string) => void) {
  const [pending, setPending] = useState<OperatorAction | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const open = (action: OperatorAction) => {
    setError(null);
    setPending(action);
  };
  const dialog = pending && (
    <ConfirmDialog
      title={pending.title}
      confirmLabel={pending.confirmLabel}
      danger={pending.danger}
      busy={busy}
      error={error}
      onCancel={() => setPending(null)}
      onConfirm={() => {
        setBusy(true);
        setError(null);
        pending
          .run()
          .then((r) => {
            setPending(null);
            onDone(r.notice, r.secret);
          })
          .catch((e: unknown) => setError(errorMessage(e)))
          .finally(() => setBusy(false));
      }}
    >
      {pending.explain}
    </ConfirmDialog>
  );
  return { open, dialog };
}

function RolesEditor({
  o,
  roles,
  onChange,
}: {
  o: Operator;
  roles: RolesView;
  onChange: (action: OperatorAction) => void;
}) {
  const [chosen, setChosen] = useState(o.roles);
  const added = chosen.filter((r) => !o.roles.includes(r));
  const removed = o.roles.filter((r) => !chosen.includes(r));
  const unchanged = added.length === 0 && removed.length === 0;
  const action: OperatorAction = {
    key: 'roles',
    label: 'Change roles…',
    title: `Change the roles of ${o.displayName}?`,
    confirmLabel: 'Change roles',
    danger: false,
    explain: (
      <>
        <p>
          Roles become: <strong>{roleTitles([...chosen].sort(), roles.roles)}</strong>.
        </p>
        {added.length > 0 && <p>Added: {roleTitles(added, roles.roles)}.</p>}
        {removed.length > 0 && <p>Removed: {roleTitles(removed, roles.roles)}.</p>}
        <p>Their sessions end so the change applies at once.</p>
      </>
    ),
    run: async () => {
      await api(`/api/v1/operators/${o.id}/roles`, { method: 'PUT', body: { roles: chosen } });
      return { notice: `Roles of ${o.displayName} changed to ${roleTitles(chosen, roles.roles)}.` };
    },
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (!unchanged) onChange(action);
      }}
    >
      {o.sso && (
        <p className="warning">
          This operator signs in with single sign-on: the identity provider&apos;s groups replace these roles
          at their next sign-in.
        </p>
      )}
      <RoleChoices
        roles={roles.roles}
        chosen={chosen}
        onChange={setChosen}
        idPrefix="edit-role"
        legend="Roles"
      />
      <button type="submit" disabled={unchanged}>
        Change roles…
      </button>
    </form>
  );
}

/** One operator: facts, and with operators.manage every account change, each confirmed first. */
export function OperatorPage() {
  const { id = '' } = useParams();
  const { can, session } = useSession();
  const operator = useApi<Operator>(`/api/v1/operators/${id}`);
  const roles = useApi<RolesView>('/api/v1/roles');
  const [notice, setNotice] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [editorKey, setEditorKey] = useState(0);
  const change = useConfirmedChange((text, newSecret) => {
    setNotice(text);
    setSecret(newSecret ?? null);
    setEditorKey((k) => k + 1);
    operator.reload();
  });
  const self = id === session.operator.id;
  return (
    <section>
      <p>
        <Link to="/console/operators">All operators</Link>
      </p>
      <LoadState state={operator} what="operator">
        {(o) => (
          <>
            <h1>
              {o.displayName}
              {self && ' (you)'}
            </h1>
            {secret && <OneTimeSecret secret={secret} username={o.username} onDone={() => setSecret(null)} />}
            {notice && (
              <p className="notice" role="status">
                {notice}
              </p>
            )}
            <Facts o={o} roles={roles.data} />
            {can('operators.manage') && (
              <>
                <h2>Roles</h2>
                {self ? (
                  // The API refuses it too: nobody changes their own roles.
                  <p className="hint">You cannot change your own roles. Ask another administrator.</p>
                ) : (
                  <LoadState state={roles} what="roles">
                    {(r) => <RolesEditor key={editorKey} o={o} roles={r} onChange={change.open} />}
                  </LoadState>
                )}
                <h2>Account</h2>
                <div className="actions">
                  {operatorActions(o, self).map((a) => (
                    <button
                      key={a.key}
                      type="button"
                      className={a.danger ? 'danger-outline' : undefined}
                      onClick={() => change.open(a)}
                    >
                      {a.label}
                    </button>
                  ))}
                </div>
                <OperatorSessions operatorId={o.id} />
              </>
            )}
            {change.dialog}
          </>
        )}
      </LoadState>
    </section>
  );
}
