import type { RoleView } from './operator-types';

/** The profile's roles as checkboxes, each with what it is for and whether it needs MFA. */
export function RoleChoices({
  roles,
  chosen,
  onChange,
  idPrefix,
  legend = 'Roles',
}: {
  roles: RoleView[];
  chosen: string[];
  onChange: (roles: string[]) => void;
  idPrefix: string;
  legend?: string;
}) {
  const toggle = (key: string, on: boolean) =>
    onChange(on ? [...new Set([...chosen, key])] : chosen.filter((r) => r !== key));
  return (
    <fieldset>
      <legend>{legend}</legend>
      {roles.map((role) => {
        const id = `${idPrefix}-${role.key}`;
        return (
          <div key={role.key} className="choice">
            <input
              type="checkbox"
              id={id}
              checked={chosen.includes(role.key)}
              aria-describedby={`${id}-about`}
              onChange={(e) => toggle(role.key, e.target.checked)}
            />
            <label htmlFor={id}>
              {role.title} <span className="muted">({role.key})</span>
            </label>
            <p id={`${id}-about`} className="hint">
              {role.description}
              {role.privileged ? ' Needs MFA.' : ''}
            </p>
          </div>
        );
      })}
    </fieldset>
  );
}

/** Role keys as their titles, for sentences and tables. */
export function roleTitles(keys: string[], roles: RoleView[] | undefined): string {
  if (keys.length === 0) return 'no roles';
  return keys.map((k) => roles?.find((r) => r.key === k)?.title ?? k).join(', ');
}
