import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useApi } from '../../../api/use-api';
import { useSession } from '../../../session/session-context';
import { LoadState } from '../common/LoadState';
import { TableScroll } from '../common/TableScroll';
import { formatTime } from '../../../common/format';
import { NewVersionForm } from './NewVersionForm';
import { VersionDiff } from './VersionDiff';
import { languageName, textFields, type TemplateVersion, type TemplateVersionEntry } from './template-types';

function VersionText({ version }: { version: TemplateVersion }) {
  return (
    <div className="language-grid">
      {Object.entries(version.languages).map(([language, text]) => (
        <div key={language} className="panel" lang={language}>
          <h3>{languageName(language)}</h3>
          <dl className="pairs">
            {textFields.map((f) => (
              <div key={f.key}>
                <dt>{f.label}</dt>
                <dd>{text[f.key]}</dd>
              </div>
            ))}
          </dl>
        </div>
      ))}
    </div>
  );
}

/** The version shown (the current one unless ?version= says otherwise) and what it changed. */
function SelectedVersion({ id, version }: { id: string; version: number }) {
  const shown = useApi<TemplateVersion>(`/api/v1/templates/${id}/versions/${version}`);
  const previous = useApi<TemplateVersion>(
    version > 1 ? `/api/v1/templates/${id}/versions/${version - 1}` : null,
  );
  return (
    <LoadState state={shown} what={`text of version ${version}`}>
      {(v) => (
        <>
          <h2>Version {v.version}</h2>
          <VersionText version={v} />
          <p className="hint">
            <code>{'{where}'}</code> is replaced by the location the sender picks.
          </p>
          {version > 1 && (
            <>
              <h3>Changes from version {version - 1}</h3>
              <LoadState state={previous} what={`text of version ${version - 1}`}>
                {(p) => <VersionDiff before={p} after={v} />}
              </LoadState>
            </>
          )}
        </>
      )}
    </LoadState>
  );
}

/** One template: its text per language, every version with what changed, and a new version. */
export function TemplatePage() {
  const { id = '' } = useParams();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const current = useApi<TemplateVersion>(`/api/v1/templates/${id}`);
  const versions = useApi<{ versions: TemplateVersionEntry[] }>(`/api/v1/templates/${id}/versions`);
  const [saved, setSaved] = useState<number | null>(null);
  const selected = Number(params.get('version')) || current.data?.version || null;
  return (
    <section>
      <p>
        <Link to="/console/templates">All templates</Link>
      </p>
      <LoadState state={current} what="template">
        {(t) => (
          <>
            <h1>{t.name}</h1>
            <p>
              Hazard <code>{t.hazard}</code>, current version {t.version}. CAP defaults:{' '}
              {Object.entries(t.cap)
                .map(([k, v]) => `${k} ${v}`)
                .join(', ')}
              .
            </p>
          </>
        )}
      </LoadState>
      {saved !== null && (
        <p className="notice" role="status">
          Version {saved} saved. New alerts use it; alerts already sent keep their version.
        </p>
      )}
      {selected !== null && <SelectedVersion key={`shown-${selected}`} id={id} version={selected} />}
      <h2>Versions</h2>
      <LoadState state={versions} what="versions" isEmpty={(d) => d.versions.length === 0}>
        {(d) => (
          <TableScroll label="Versions of this template, newest first">
            <table>
              <caption className="visually-hidden">Versions of this template, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">Languages</th>
                  <th scope="col">Saved by</th>
                  <th scope="col">Saved</th>
                </tr>
              </thead>
              <tbody>
                {d.versions.map((v) => (
                  <tr key={v.version} aria-current={v.version === selected ? 'true' : undefined}>
                    <td>
                      {v.version === selected ? (
                        <strong>Version {v.version} (shown)</strong>
                      ) : (
                        <button
                          type="button"
                          className="link-button"
                          onClick={() => setParams({ version: String(v.version) })}
                        >
                          Version {v.version}
                        </button>
                      )}
                    </td>
                    <td>{v.languages.join(', ')}</td>
                    <td>{v.createdBy ?? '—'}</td>
                    <td>{formatTime(v.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </LoadState>
      {can('templates.manage') && current.data && (
        <NewVersionForm
          key={`form-${current.data.version}`}
          template={current.data}
          onSaved={(v) => {
            setSaved(v.version);
            setParams({});
            current.reload();
            versions.reload();
          }}
        />
      )}
    </section>
  );
}
