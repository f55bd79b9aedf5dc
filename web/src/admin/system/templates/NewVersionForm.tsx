import { useState, type FormEvent } from 'react';
import { api, errorMessage } from '../../../api/client';
import { fieldErrors } from '../common/field-errors';
import { languageName, textFields, type TemplateLanguage, type TemplateVersion } from './template-types';

const limits: Record<keyof TemplateLanguage, number> = { what: 500, where: 300, actions: 500 };

/**
 * Save a new version of a template: what / where / actions per language, starting from the
 * current text. The API checks it; each problem it names is shown beside its field.
 */
export function NewVersionForm({
  template,
  onSaved,
}: {
  template: TemplateVersion;
  onSaved: (version: TemplateVersion) => void;
}) {
  const [languages, setLanguages] = useState<Record<string, TemplateLanguage>>(() =>
    structuredClone(template.languages),
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const change = (language: string, key: keyof TemplateLanguage, value: string) =>
    setLanguages((all) => ({ ...all, [language]: { ...all[language]!, [key]: value } }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setProblems({});
    try {
      onSaved(
        await api<TemplateVersion>(`/api/v1/templates/${template.templateId}/versions`, {
          method: 'POST',
          body: { languages },
        }),
      );
    } catch (e) {
      setError(errorMessage(e));
      setProblems(fieldErrors(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby="new-version-title">
      <h2 id="new-version-title">Save a new version</h2>
      <p>
        Starts from version {template.version}. Saving makes version {template.version + 1} the one new alerts
        use; earlier versions and the alerts sent with them do not change.
      </p>
      {Object.entries(languages).map(([language, text]) => (
        <fieldset key={language} lang={language}>
          <legend>{languageName(language)}</legend>
          {textFields.map((f) => {
            const id = `tv-${language}-${f.key}`;
            const problem = problems[`languages.${language}.${f.key}`];
            return (
              <div key={f.key}>
                <label htmlFor={id}>
                  {f.label} ({languageName(language)})
                </label>
                <textarea
                  id={id}
                  value={text[f.key]}
                  rows={f.key === 'where' ? 2 : 3}
                  aria-invalid={problem ? true : undefined}
                  aria-describedby={`${id}-count${problem ? ` ${id}-problem` : ''}`}
                  onChange={(e) => change(language, f.key, e.target.value)}
                />
                <p id={`${id}-count`} className="hint">
                  {text[f.key].length} of at most {limits[f.key]} characters
                </p>
                {problem && (
                  <p id={`${id}-problem`} className="field-error">
                    {f.label} ({languageName(language)}) {problem}.
                  </p>
                )}
              </div>
            );
          })}
        </fieldset>
      ))}
      {error && (
        <p className="error" role="alert">
          Not saved. {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Saving…' : `Save version ${template.version + 1}`}
      </button>
    </form>
  );
}
