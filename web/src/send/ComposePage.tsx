import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { useApi } from '../api/use-api';
import { useSession } from '../session/session-context';
import { Composer } from './Composer';
import { kindsFor } from './draft';
import { NoSendPermission } from './NoSendPermission';
import type { SendOptions, TemplateVersion } from './send-types';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function Problem({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section>
      <h1>{title}</h1>
      {children}
      <p>
        <Link to="/console/">Choose a template</Link>
      </p>
    </section>
  );
}

/** /console/send/:templateId: loads the template and the send options, then the composer. */
export function ComposePage() {
  const { templateId = '' } = useParams();
  const { canAny } = useSession();
  const maySend = canAny('alerts.send.');
  const valid = uuid.test(templateId);
  const template = useApi<TemplateVersion>(maySend && valid ? `/api/v1/templates/${templateId}` : null);
  const options = useApi<SendOptions>(maySend && valid ? '/api/v1/alerts/send-options' : null);
  if (!maySend) return <NoSendPermission />;
  if (!valid)
    return (
      <Problem title="No such template">
        <p>The address does not name a template.</p>
      </Problem>
    );
  const error = template.error ?? options.error;
  if (error)
    return (
      <Problem title="The template could not be opened">
        <p role="alert">{error}</p>
        <p>
          <button
            type="button"
            onClick={() => {
              template.reload();
              options.reload();
            }}
          >
            Try again
          </button>
        </p>
      </Problem>
    );
  if (!template.data || !options.data)
    return (
      <p className="loading" role="status">
        Opening the template…
      </p>
    );
  if (kindsFor(options.data, template.data.hazard).length === 0)
    return (
      <Problem title={`You may not send “${template.data.name}”`}>
        <p>Your roles may not send any kind of alert this template is for. Choose another template.</p>
      </Problem>
    );
  return <Composer key={templateId} template={template.data} options={options.data} />;
}
