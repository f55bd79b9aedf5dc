import { useState } from 'react';
import { api } from '../../../api/client';
import { useApi } from '../../../api/use-api';
import { RequirePermission } from '../../../layout/Forbidden';
import { useSession } from '../../../session/session-context';
import type { ApiToken, TokenList as Tokens } from '../directory-types';
import { when } from '../labels';
import { DataTable, Empty, ErrorNote, Loaded, Notice, usePageTitle } from '../ui';
import { useAction } from '../use-action';
import { CreateToken, type Created } from './CreateToken';
import { TokenShownOnce } from './TokenShownOnce';

/** API tokens: every token with tokens.manage; only SCIM provisioning tokens with scim.provision alone. */
export function TokenList() {
  usePageTitle('API tokens');
  return (
    <RequirePermission permission={['tokens.manage', 'scim.provision']}>
      <TokensScreen />
    </RequirePermission>
  );
}

function TokensScreen() {
  const { can } = useSession();
  const all = can('tokens.manage');
  const base = all ? '/api/v1/tokens' : '/api/v1/tokens/scim';
  const tokens = useApi<Tokens>(base);
  const [created, setCreated] = useState<Created | null>(null);
  return (
    <section className="dir">
      <h1>API tokens</h1>
      <p>
        {all
          ? 'Tokens let other systems use Tocsin’s API with the permissions they were given.'
          : 'SCIM provisioning tokens let the identity provider keep the directory current over SCIM 2.0. Your roles show only these tokens.'}
      </p>
      <Loaded state={tokens} what="the tokens">
        {(list) => (
          <>
            {created ? (
              <TokenShownOnce created={created} scimUrl={list.scimUrl} onDone={() => setCreated(null)} />
            ) : (
              <CreateToken
                maxDays={list.maxDays}
                all={all}
                onCreated={(c) => {
                  setCreated(c);
                  tokens.reload();
                }}
              />
            )}
            <h2>Tokens</h2>
            <TokenTable tokens={list.tokens} base={base} onRevoked={tokens.reload} />
          </>
        )}
      </Loaded>
    </section>
  );
}

function status(t: ApiToken): string {
  if (t.revokedAt) return `Revoked ${when(t.revokedAt)}`;
  if (new Date(t.expiresAt).getTime() <= Date.now()) return 'Expired';
  return 'Active';
}

function TokenTable({
  tokens,
  base,
  onRevoked,
}: {
  tokens: ApiToken[];
  base: string;
  onRevoked: () => void;
}) {
  const action = useAction();
  const [confirm, setConfirm] = useState<string | null>(null);
  if (tokens.length === 0) return <Empty>No tokens yet.</Empty>;
  const revoke = async (t: ApiToken) => {
    const ok = await action.run(async () => {
      await api(`${base}/${t.id}`, { method: 'DELETE' });
      onRevoked();
    }, `${t.name} is revoked: it stopped working.`);
    if (ok) setConfirm(null);
  };
  return (
    <>
      <Notice message={action.notice} />
      <ErrorNote message={action.error} />
      <DataTable
        label="Tokens"
        className="stack"
        headings={['Name', 'Permissions', 'Created', 'Expires', 'Last used', 'Status', 'Change']}
      >
        {tokens.map((t) => (
          <tr key={t.id}>
            <td>
              {t.name}
              <span className="why">
                <code>tocsin_{t.prefix}_…</code>
              </span>
            </td>
            <td data-label="Permissions">{t.permissions.join(', ')}</td>
            <td data-label="Created">{when(t.createdAt)}</td>
            <td data-label="Expires">{when(t.expiresAt)}</td>
            <td data-label="Last used">{t.lastUsedAt ? when(t.lastUsedAt) : 'Never'}</td>
            <td data-label="Status">{status(t)}</td>
            <td>
              {status(t) !== 'Active' ? (
                '—'
              ) : confirm === t.id ? (
                <div className="inline-form">
                  <p>Revoke {t.name}? What uses it stops working at once.</p>
                  <div className="actions">
                    <button
                      type="button"
                      className="danger"
                      disabled={action.pending}
                      onClick={() => void revoke(t)}
                    >
                      Revoke {t.name}
                    </button>
                    <button type="button" onClick={() => setConfirm(null)}>
                      Cancel
                    </button>
                  </div>
                </div>
              ) : (
                <button
                  type="button"
                  onClick={() => (action.clear(), setConfirm(t.id))}
                  aria-label={`Revoke ${t.name}…`}
                >
                  Revoke…
                </button>
              )}
            </td>
          </tr>
        ))}
      </DataTable>
    </>
  );
}
