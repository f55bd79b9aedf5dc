import { useState, type FormEvent } from 'react';
import { api } from '../../../api/client';
import { affiliationList, type Group, type GroupRule } from '../directory-types';
import { affiliationLabel } from '../labels';
import { ErrorNote } from '../ui';
import { useAction } from '../use-action';
import { listValues } from './rule-text';

/** Create a group, or change one's name, description and (dynamic) rule. */
export function GroupForm({
  group,
  onSaved,
  onCancel,
}: {
  group?: Group;
  onSaved: (g: Group) => void;
  onCancel?: () => void;
}) {
  const action = useAction();
  const [kind, setKind] = useState<'static' | 'dynamic'>(group?.kind ?? 'static');
  const rule = group?.rule ?? {};

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const body: Record<string, unknown> = {
      name: String(data.get('name') ?? '').trim(),
      description: String(data.get('description') ?? '').trim() || null,
    };
    if (kind === 'dynamic') body.rule = ruleFrom(data);
    if (!group) body.kind = kind;
    await action.run(async () => {
      const saved = group
        ? await api<Group>(`/api/v1/groups/${group.id}`, { method: 'PATCH', body })
        : await api<Group>('/api/v1/groups', { body });
      onSaved(saved);
    });
  };

  return (
    <form className="panel" onSubmit={submit} aria-labelledby="group-form">
      <h2 id="group-form">{group ? 'Edit the group' : 'Name, kind and rule'}</h2>
      <label htmlFor="group-name">Name</label>
      <input id="group-name" name="name" required maxLength={200} defaultValue={group?.name ?? ''} />
      <label htmlFor="group-description">Description</label>
      <textarea
        id="group-description"
        name="description"
        maxLength={2000}
        defaultValue={group?.description ?? ''}
      />
      {!group && (
        <fieldset>
          <legend>Kind</legend>
          <label className="check">
            <input type="radio" name="kind" checked={kind === 'static'} onChange={() => setKind('static')} />
            Static: a list of people you add and remove
          </label>
          <label className="check">
            <input
              type="radio"
              name="kind"
              checked={kind === 'dynamic'}
              onChange={() => setKind('dynamic')}
            />
            Dynamic: everyone a rule matches, kept current as the directory changes
          </label>
        </fieldset>
      )}
      {kind === 'dynamic' && (
        <fieldset>
          <legend>Rule: every part you fill in must match</legend>
          <fieldset>
            <legend>Affiliations</legend>
            <div className="checks">
              {affiliationList.map((a) => (
                <label className="check" key={a}>
                  <input
                    type="checkbox"
                    name="affiliations"
                    value={a}
                    defaultChecked={rule.affiliations?.includes(a)}
                  />
                  {affiliationLabel[a]}
                </label>
              ))}
            </div>
          </fieldset>
          <RuleList
            name="departments"
            label="Departments"
            hint="One per line, as the directory spells them."
            value={rule.departments}
          />
          <RuleList
            name="buildingCodes"
            label="Buildings or zones"
            hint="Codes separated by commas, such as W20, N52-419; a zone's code means every building in it."
            value={rule.buildingCodes}
          />
          <RuleList
            name="residenceHallCodes"
            label="Residence halls"
            hint="Codes separated by commas, such as W7."
            value={rule.residenceHallCodes}
          />
        </fieldset>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={action.pending}>
          {group ? 'Save' : 'Create group'}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
      <ErrorNote message={action.error} />
    </form>
  );
}

function RuleList({
  name,
  label,
  hint,
  value,
}: {
  name: string;
  label: string;
  hint: string;
  value?: string[];
}) {
  return (
    <>
      <label htmlFor={`rule-${name}`}>{label}</label>
      <textarea
        id={`rule-${name}`}
        name={name}
        rows={2}
        defaultValue={(value ?? []).join(name === 'departments' ? '\n' : ', ')}
        aria-describedby={`rule-${name}-hint`}
      />
      <p className="hint" id={`rule-${name}-hint`}>
        {hint}
      </p>
    </>
  );
}

function ruleFrom(data: FormData): GroupRule {
  const rule: GroupRule = {};
  const affiliations = data.getAll('affiliations').map(String) as GroupRule['affiliations'];
  if (affiliations?.length) rule.affiliations = affiliations;
  for (const key of ['departments', 'buildingCodes', 'residenceHallCodes'] as const) {
    const values =
      key === 'departments'
        ? String(data.get(key) ?? '')
            .split('\n')
            .map((v) => v.trim())
            .filter(Boolean)
        : listValues(String(data.get(key) ?? ''));
    if (values.length) rule[key] = values;
  }
  return rule;
}
