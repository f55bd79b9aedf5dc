import type { SendOptions, ReachEstimate as Reach, SendBody } from './send-types';
import { useDebouncedPost } from './use-debounced-post';

const count = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;
const addressWords: Record<string, [string, string]> = {
  sms: ['phone number', 'phone numbers'],
  voice: ['phone number', 'phone numbers'],
  email: ['email address', 'email addresses'],
  // A desk number several people share is called once, so these are numbers, not people.
  office_phones: ['office number', 'office numbers'],
};

/** How many people and addresses per channel the audience reaches now, refreshed as it changes. */
export function ReachEstimate({
  audience,
  channels,
  options,
}: {
  audience: SendBody['audience'] | null;
  channels: string[];
  options: SendOptions;
}) {
  const body = audience && channels.length > 0 ? { audience, channels } : null;
  const reach = useDebouncedPost<Reach>('/api/v1/alerts/reach', body, 250);
  const label = (c: string) => options.channels.find((x) => x.channel === c)?.label ?? c;
  const personal = channels.filter((c) => options.channels.find((x) => x.channel === c)?.reachesPeople);
  const broadcast = channels.filter((c) => !personal.includes(c));
  return (
    <div className="reach panel" role="status" aria-live="polite" aria-busy={reach.loading || undefined}>
      <h3>Reach now</h3>
      {!body && <p>Choose who receives it and at least one channel to see how many it reaches.</p>}
      {body && reach.error && <p className="field-error">{`The reach estimate failed: ${reach.error}`}</p>}
      {body && !reach.data && !reach.error && <p>Counting…</p>}
      {body && reach.data && (
        <>
          <p className="reach-people">
            <strong>{count(reach.data.people, 'person', 'people')}</strong>
            {reach.loading && <span className="muted"> (updating…)</span>}
          </p>
          {personal.length > 0 && (
            <ul className="reach-list">
              {personal.map((c) => {
                const words = addressWords[c] ?? ['address', 'addresses'];
                const suppressed = reach.data!.suppressed[c] ?? 0;
                return (
                  <li key={c}>
                    {label(c)}: {count(reach.data!.addresses[c] ?? 0, words[0], words[1])}
                    {c === 'office_phones' &&
                      reach.data!.pagingServers > 0 &&
                      ` and ${count(reach.data!.pagingServers, 'paging server', 'paging servers')}`}
                    {suppressed > 0 && ` (${count(suppressed, 'has', 'have')} opted out)`}
                  </li>
                );
              })}
            </ul>
          )}
          {broadcast.length > 0 && (
            <p className="muted">Also published on: {broadcast.map(label).join(', ')}.</p>
          )}
        </>
      )}
    </div>
  );
}
