import { Link } from 'react-router';
import { useApi } from '../api/use-api';

interface TemplateSummary {
  id: string;
  name: string;
  hazard: string;
  version: number;
  uses: number;
}

/** Start page: the hazard templates, most used first. */
export function StartPage() {
  const templates = useApi<{ templates: TemplateSummary[] }>('/api/v1/templates');
  return (
    <section>
      <h1>Send an alert</h1>
      {templates.error && <p role="alert">{templates.error}</p>}
      <ul>
        {templates.data?.templates.map((t) => (
          <li key={t.id}>
            <Link to={`/console/send/${t.id}`}>{t.name}</Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
