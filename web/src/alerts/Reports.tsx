/**
 * The alert's reports: the after-action summary (a page of its own, and its PDF) for every reader,
 * and the CSV of every delivery for readers of people (the server audits that download).
 */
export function Reports({ alertId, mayReadPeople }: { alertId: string; mayReadPeople: boolean }) {
  const base = `/api/v1/alerts/${alertId}`;
  return (
    <section aria-labelledby="al-reports">
      <h2 id="al-reports">Reports</h2>
      <ul className="al-reports">
        <li>
          <a href={`${base}/after-action`}>After-action summary</a>
        </li>
        <li>
          <a href={`${base}/after-action.pdf`}>After-action summary (PDF)</a>
        </li>
        {mayReadPeople && (
          <li>
            <a href={`${base}/deliveries.csv`} download>
              Every delivery (CSV)
            </a>
          </li>
        )}
      </ul>
    </section>
  );
}
