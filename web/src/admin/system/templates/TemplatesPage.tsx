import { Link } from 'react-router';
import { useApi } from '../../../api/use-api';
import { LoadState } from '../common/LoadState';
import { TableScroll } from '../common/TableScroll';
import type { TemplateSummary } from './template-types';

/** The hazard templates: current version and how many alerts used each, most used first. */
export function TemplatesPage() {
  const templates = useApi<{ templates: TemplateSummary[] }>('/api/v1/templates');
  return (
    <section>
      <h1>Templates</h1>
      <p>
        One template per hazard of the policy profile. Every saved version is kept: alerts keep the version
        they were sent with.
      </p>
      <LoadState
        state={templates}
        what="templates"
        isEmpty={(d) => d.templates.length === 0}
        empty="No templates: the profile's hazard catalogue is empty."
      >
        {(d) => (
          <TableScroll label="Templates, most used first">
            <table>
              <caption className="visually-hidden">Templates, most used first</caption>
              <thead>
                <tr>
                  <th scope="col">Template</th>
                  <th scope="col">Hazard code</th>
                  <th scope="col">Current version</th>
                  <th scope="col">Alerts sent with it</th>
                </tr>
              </thead>
              <tbody>
                {d.templates.map((t) => (
                  <tr key={t.id}>
                    <td>
                      <Link to={`/console/templates/${t.id}`}>{t.name}</Link>
                    </td>
                    <td>
                      <code>{t.hazard}</code>
                    </td>
                    <td>{t.version}</td>
                    <td>{t.uses}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </LoadState>
    </section>
  );
}
