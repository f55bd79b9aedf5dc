import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../../../api/client';
import type { Feeds } from '../directory-types';
import { ErrorNote } from '../ui';
import { useAction } from '../use-action';

/** Upload a full CSV export for a preview, or start an LDAP sync where one is configured. */
export function StartSync({ feeds }: { feeds: Feeds }) {
  const navigate = useNavigate();
  const action = useAction();
  const [file, setFile] = useState<File | null>(null);
  const required = feeds.csv.columns.filter((c) => c.required);
  const optional = feeds.csv.columns.filter((c) => !c.required);

  const upload = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    await action.run(async () => {
      if (!file) throw new Error('Choose the CSV file to upload first.');
      const data = await file.text();
      const queued = await api<{ id: string }>(
        `/api/v1/directory/syncs/csv?name=${encodeURIComponent(file.name)}`,
        {
          method: 'POST',
          raw: { contentType: 'text/csv', data },
        },
      );
      navigate(`/console/directory/syncs/${queued.id}`);
    });
  };
  const ldap = () =>
    action.run(async () => {
      const queued = await api<{ id: string }>('/api/v1/directory/syncs/ldap', { method: 'POST', body: {} });
      navigate(`/console/directory/syncs/${queued.id}`);
    });

  return (
    <>
      <form className="panel" onSubmit={upload} aria-labelledby="upload-csv">
        <h2 id="upload-csv">Upload a CSV export</h2>
        <p>
          Upload the full export (everyone, not only changes). Tocsin first shows what would change; nothing
          changes until you apply it.
        </p>
        <label htmlFor="csv-file">CSV file</label>
        <input
          id="csv-file"
          type="file"
          accept=".csv,text/csv"
          aria-describedby="csv-columns"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
        <p className="hint" id="csv-columns">
          Required columns: {required.map((c) => c.column).join(', ')}. Optional:{' '}
          {optional.map((c) => c.column).join(', ')}.
        </p>
        <button type="submit" className="primary" disabled={action.pending}>
          Upload and preview
        </button>
      </form>
      {feeds.ldap.configured && (
        <div className="panel">
          <h2>LDAP</h2>
          <p>Read the configured LDAP directory now and preview what would change.</p>
          <button type="button" disabled={action.pending} onClick={() => void ldap()}>
            Preview an LDAP sync
          </button>
        </div>
      )}
      <ErrorNote message={action.error} />
    </>
  );
}
