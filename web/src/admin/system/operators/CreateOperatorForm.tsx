import { useState, type FormEvent } from 'react';
import { api, errorMessage } from '../../../api/client';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { fieldErrors } from '../common/field-errors';
import { RoleChoices, roleTitles } from './RoleChoices';
import type { RoleView, WithSecret } from './operator-types';

const fields = [
  {
    key: 'username',
    label: 'Username',
    hint: 'Letters, digits, ".", "_", "@" or "-"; stored in lower case.',
  },
  { key: 'displayName', label: 'Full name', hint: 'As colleagues know them.' },
  { key: 'email', label: 'Email (optional)', hint: '' },
] as const;

type Values = Record<(typeof fields)[number]['key'], string>;

/** Create an operator with roles, after a confirm step; the answer carries the one-time secret. */
export function CreateOperatorForm({
  roles,
  onCreated,
  onCancel,
}: {
  roles: RoleView[];
  onCreated: (created: WithSecret) => void;
  onCancel: () => void;
}) {
  const [values, setValues] = useState<Values>({ username: '', displayName: '', email: '' });
  const [chosen, setChosen] = useState<string[]>([]);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [problems, setProblems] = useState<Record<string, string>>({});

  async function create() {
    setBusy(true);
    setError(null);
    try {
      const created = await api<WithSecret>('/api/v1/operators', {
        method: 'POST',
        body: {
          username: values.username.trim(),
          displayName: values.displayName.trim(),
          ...(values.email.trim() ? { email: values.email.trim() } : {}),
          roles: chosen,
        },
      });
      setConfirming(false);
      onCreated(created);
    } catch (e) {
      setConfirming(false);
      setError(errorMessage(e));
      setProblems(fieldErrors(e));
    } finally {
      setBusy(false);
    }
  }

  function review(event: FormEvent) {
    event.preventDefault();
    setProblems({});
    setError(null);
    setConfirming(true);
  }

  return (
    <form onSubmit={review} noValidate aria-labelledby="create-title" className="panel">
      <h2 id="create-title">Create an operator</h2>
      {fields.map((f) => {
        const id = `new-${f.key}`;
        const problem = problems[f.key];
        return (
          <div key={f.key}>
            <label htmlFor={id}>{f.label}</label>
            <input
              id={id}
              type={f.key === 'email' ? 'email' : 'text'}
              autoComplete="off"
              value={values[f.key]}
              aria-invalid={problem ? true : undefined}
              aria-describedby={
                [f.hint && `${id}-hint`, problem && `${id}-problem`].filter(Boolean).join(' ') || undefined
              }
              onChange={(e) => setValues((v) => ({ ...v, [f.key]: e.target.value }))}
            />
            {f.hint && (
              <p id={`${id}-hint`} className="hint">
                {f.hint}
              </p>
            )}
            {problem && (
              <p id={`${id}-problem`} className="field-error">
                {f.label} {problem}.
              </p>
            )}
          </div>
        );
      })}
      <RoleChoices roles={roles} chosen={chosen} onChange={setChosen} idPrefix="new-role" />
      {error && (
        <p className="error" role="alert">
          Not created. {error}
        </p>
      )}
      <button type="submit" className="primary">
        Create operator…
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
      {confirming && (
        <ConfirmDialog
          title="Create this operator?"
          confirmLabel="Create operator"
          busy={busy}
          onConfirm={() => void create()}
          onCancel={() => setConfirming(false)}
        >
          <p>
            <strong>{values.displayName || '(no name)'}</strong>, username{' '}
            <code>{values.username || '—'}</code>
            {values.email ? `, ${values.email}` : ''}, with {roleTitles(chosen, roles)}.
          </p>
          <p>Tocsin answers with a one-time secret, shown once, for their first sign-in.</p>
        </ConfirmDialog>
      )}
    </form>
  );
}
