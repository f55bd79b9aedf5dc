import { useState } from 'react';
import { Link } from 'react-router';
import { useApi } from '../../../api/use-api';
import { useSession } from '../../../session/session-context';
import { LoadState } from '../common/LoadState';
import { TableScroll } from '../common/TableScroll';
import { formatTime } from '../../../common/format';
import { CreateOperatorForm } from './CreateOperatorForm';
import { OneTimeSecret } from './OneTimeSecret';
import { roleTitles } from './RoleChoices';
import type { Operator, RolesView, WithSecret } from './operator-types';

const pageSize = 100;

export function operatorState(o: Operator): string {
  const parts: string[] = [];
  if (o.disabled) parts.push('Disabled');
  if (o.lockedUntil && new Date(o.lockedUntil).getTime() > Date.now())
    parts.push(`Locked until ${formatTime(o.lockedUntil)}`);
  if (o.mustChangePassword && !o.sso) parts.push('Must choose a password');
  return parts.length ? parts.join('; ') : 'Active';
}

export function mfaState(o: Operator): string {
  if (o.mfaEnrolled) return 'Enrolled';
  return o.sso ? 'Not enrolled (SSO)' : 'Not enrolled';
}

/** Operators in username order with roles, MFA, state and last sign-in; creating one. */
export function OperatorsPage() {
  const { can, session } = useSession();
  const [pages, setPages] = useState<string[]>([]);
  const after = pages.at(-1);
  const list = useApi<{ operators: Operator[] }>(
    `/api/v1/operators?limit=${pageSize}${after ? `&after=${encodeURIComponent(after)}` : ''}`,
  );
  const roles = useApi<RolesView>('/api/v1/roles');
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<WithSecret | null>(null);
  return (
    <section>
      <h1>Operators</h1>
      {created && (
        <OneTimeSecret
          secret={created.oneTimeSecret}
          username={created.operator.username}
          onDone={() => setCreated(null)}
        />
      )}
      {created && (
        <p className="notice" role="status">
          Created <Link to={`/console/operators/${created.operator.id}`}>{created.operator.displayName}</Link>
          .
        </p>
      )}
      {can('operators.manage') && !creating && (
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          Create an operator
        </button>
      )}
      {creating && roles.data && (
        <CreateOperatorForm
          roles={roles.data.roles}
          onCancel={() => setCreating(false)}
          onCreated={(c) => {
            setCreating(false);
            setCreated(c);
            list.reload();
          }}
        />
      )}
      {creating && !roles.data && (
        <LoadState state={roles} what="roles">
          {() => null}
        </LoadState>
      )}
      <LoadState
        state={list}
        what="operators"
        isEmpty={(d) => d.operators.length === 0}
        empty="No operators."
      >
        {(d) => (
          <>
            <TableScroll label="Operators in username order">
              <table>
                <caption className="visually-hidden">Operators in username order</caption>
                <thead>
                  <tr>
                    <th scope="col">Operator</th>
                    <th scope="col">Roles</th>
                    <th scope="col">MFA</th>
                    <th scope="col">State</th>
                    <th scope="col">Last sign-in</th>
                  </tr>
                </thead>
                <tbody>
                  {d.operators.map((o) => (
                    <tr key={o.id}>
                      <td>
                        <Link to={`/console/operators/${o.id}`}>{o.displayName}</Link>
                        {o.id === session.operator.id && ' (you)'}
                        <br />
                        <span className="muted">{o.username}</span>
                      </td>
                      <td>{roleTitles(o.roles, roles.data?.roles)}</td>
                      <td>{mfaState(o)}</td>
                      <td>{operatorState(o)}</td>
                      <td>{o.lastSignInAt ? formatTime(o.lastSignInAt) : 'Never'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
            {pages.length > 0 && (
              <button type="button" onClick={() => setPages((p) => p.slice(0, -1))}>
                Previous page
              </button>
            )}
            {d.operators.length === pageSize && (
              <button type="button" onClick={() => setPages((p) => [...p, d.operators.at(-1)!.username])}>
                Next page
              </button>
            )}
          </>
        )}
      </LoadState>
    </section>
  );
}
