import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { AlertsInForce } from '../alerts/AlertsInForce';
import { useApi } from '../api/use-api';
import { useSession } from '../session/session-context';
import { clearDraft, kindsFor, listDrafts } from './draft';
import { NoSendPermission } from './NoSendPermission';
import type { SendOptions, TemplateSummary } from './send-types';

function matches(template: TemplateSummary, filter: string): boolean {
  const text = `${template.name} ${template.hazard.replaceAll('_', ' ')}`.toLowerCase();
  return filter
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => text.includes(word));
}

/**
 * Start page: the alerts in force (each with its update and all-clear), then the hazard templates
 * this operator may send, most used first, with a filter box.
 */
export function StartPage() {
  const { canAny, session, setComposing } = useSession();
  const navigate = useNavigate();
  const maySend = canAny('alerts.send.');
  const templates = useApi<{ templates: TemplateSummary[] }>(maySend ? '/api/v1/templates' : null);
  const options = useApi<SendOptions>(maySend ? '/api/v1/alerts/send-options' : null);
  const [filter, setFilter] = useState('');
  const [drafts, setDrafts] = useState(() => listDrafts(session.operator.id));
  useEffect(() => {
    if (drafts.length > 0) setComposing(true);
  }, [drafts, setComposing]);

  if (!maySend)
    return (
      <>
        <NoSendPermission />
        <AlertsInForce />
      </>
    );
  const sendable = (templates.data?.templates ?? []).filter(
    (t) => options.data && kindsFor(options.data, t.hazard).length > 0,
  );
  const shown = sendable.filter((t) => matches(t, filter));
  const error = templates.error ?? options.error;
  const loading = !error && (!templates.data || !options.data);

  return (
    <section className="start">
      <h1>Send an alert</h1>
      <AlertsInForce />
      {drafts.length > 0 && (
        <div className="panel drafts">
          <h2>Unsent drafts</h2>
          <ul>
            {drafts.map((d) => (
              <li key={d.templateId}>
                <Link to={`/console/send/${d.templateId}`}>Continue: {d.templateName}</Link>{' '}
                <button
                  type="button"
                  className="link-button"
                  onClick={() => {
                    clearDraft(d.templateId);
                    const left = listDrafts(session.operator.id);
                    setDrafts(left);
                    setComposing(left.length > 0);
                  }}
                >
                  Discard the {d.templateName} draft
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          if (shown[0]) navigate(`/console/send/${shown[0].id}`);
        }}
      >
        <label htmlFor="template-filter">Find a template</label>
        <input
          id="template-filter"
          type="search"
          autoComplete="off"
          // The start page is for one thing: typing a hazard name at once, Enter opens the first match.
          autoFocus
          aria-describedby="template-filter-hint"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <p className="hint" id="template-filter-hint">
          Type part of a name; Enter opens the first one. Most used first.
        </p>
      </form>
      {error && (
        <div className="error" role="alert">
          <p>The templates could not be loaded: {error}</p>
          <button
            type="button"
            onClick={() => {
              templates.reload();
              options.reload();
            }}
          >
            Try again
          </button>
        </div>
      )}
      {loading && <p role="status">Loading the templates…</p>}
      {!loading && !error && sendable.length === 0 && (
        <p>
          There are no templates you may send. Someone who manages templates can add them under Templates.
        </p>
      )}
      {!loading && sendable.length > 0 && shown.length === 0 && (
        <p role="status">
          No template matches “{filter}”.{' '}
          <button type="button" className="link-button" onClick={() => setFilter('')}>
            Show them all
          </button>
        </p>
      )}
      <ul className="template-list" aria-label="Templates">
        {shown.map((t) => (
          <li key={t.id}>
            <Link className="tile" to={`/console/send/${t.id}`}>
              {t.name}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
