import { useState, type FormEvent } from 'react';
import { plural } from '../../../common/format';
import { api } from '../../../api/client';
import { useSession } from '../../../session/session-context';
import type { ApiToken } from '../directory-types';
import { ErrorNote } from '../ui';
import { useAction } from '../use-action';

export interface Created {
  token: string;
  apiToken: ApiToken;
}

const scim = 'scim.provision';

/**
 * Create a token: the SCIM provisioning preset (scim.provision only), or, with tokens.manage, any
 * of the operator's own permissions; an expiry up to the profile's maximum.
 */
export function CreateToken({
  maxDays,
  all,
  onCreated,
}: {
  maxDays: number;
  all: boolean;
  onCreated: (c: Created) => void;
}) {
  const { session, can } = useSession();
  const action = useAction();
  const mayScim = can(scim);
  const [preset, setPreset] = useState<'scim' | 'custom'>(mayScim ? 'scim' : 'custom');
  const held = [...session.permissions].sort();

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const name = String(data.get('name') ?? '').trim();
    const expiresInDays = Number(data.get('expiresInDays'));
    const permissions = preset === 'scim' ? [scim] : data.getAll('permissions').map(String);
    await action.run(async () => {
      if (permissions.length === 0) throw new Error('Choose at least one permission for the token.');
      const created = all
        ? await api<Created>('/api/v1/tokens', { body: { name, permissions, expiresInDays } })
        : await api<Created>('/api/v1/tokens/scim', { body: { name, expiresInDays } });
      onCreated(created);
    });
  };

  return (
    <form className="panel" onSubmit={submit} aria-labelledby="create-token">
      <h2 id="create-token">Create a token</h2>
      <label htmlFor="token-name">Name</label>
      <input
        id="token-name"
        name="name"
        required
        maxLength={100}
        aria-describedby="token-name-hint"
        defaultValue={preset === 'scim' ? 'SCIM provisioning' : ''}
        key={preset}
      />
      <p className="hint" id="token-name-hint">
        Say what uses it, such as “Okta SCIM” or “Registrar export job”.
      </p>
      {all && (
        <fieldset>
          <legend>Permissions</legend>
          {mayScim && (
            <label className="check">
              <input
                type="radio"
                name="preset"
                checked={preset === 'scim'}
                onChange={() => setPreset('scim')}
              />
              SCIM provisioning (scim.provision only)
            </label>
          )}
          <label className="check">
            <input
              type="radio"
              name="preset"
              checked={preset === 'custom'}
              onChange={() => setPreset('custom')}
            />
            Choose from your own permissions
          </label>
          {preset === 'custom' && (
            <div className="checks">
              {held.map((p) => (
                <label className="check" key={p}>
                  <input type="checkbox" name="permissions" value={p} />
                  {p}
                </label>
              ))}
            </div>
          )}
        </fieldset>
      )}
      {!all && <p>The token holds one permission: scim.provision (SCIM provisioning).</p>}
      <label htmlFor="token-days">Expires after (days)</label>
      <input
        id="token-days"
        name="expiresInDays"
        type="number"
        min={1}
        max={maxDays}
        defaultValue={Math.min(90, maxDays)}
        required
        aria-describedby="token-days-hint"
      />
      <p className="hint" id="token-days-hint">
        At most {plural(maxDays, 'day')} under the policy profile.
      </p>
      <button type="submit" className="primary" disabled={action.pending}>
        Create token
      </button>
      <ErrorNote message={action.error} />
    </form>
  );
}
