import { useSession } from '../session/session-context';
import type { AlertTracking } from './alert-types';
import { count, timeOf, wordFor, channelWords } from './alert-words';

type Answers = AlertTracking['acknowledgements'];

/** The need-help list: names and the contact they answered from, longest wait first. */
function NeedHelpList({ answers }: { answers: Answers }) {
  const list = answers.needHelpList ?? [];
  return (
    <section aria-labelledby="al-need-help">
      <h3 id="al-need-help">People who need help</h3>
      {list.length === 0 ? (
        <p>Nobody has asked for help.</p>
      ) : (
        <table className="al-table">
          <caption className="visually-hidden">
            People who answered that they need help, longest wait first
          </caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Answered</th>
              <th scope="col">From</th>
              <th scope="col">Building</th>
              <th scope="col">Residence hall</th>
            </tr>
          </thead>
          <tbody>
            {list.map((p) => (
              <tr key={p.personId}>
                <td data-label="Name">{p.name}</td>
                <td data-label="Answered">{timeOf(p.respondedAt)}</td>
                <td data-label="From" className="al-wrap">
                  {p.contact ?? '—'} ({p.channel === 'web' ? 'web' : wordFor(channelWords, p.channel)})
                </td>
                <td data-label="Building">{p.building ? `${p.building.code} ${p.building.name}` : '—'}</td>
                <td data-label="Residence hall">
                  {p.residenceHall ? `${p.residenceHall.code} ${p.residenceHall.name}` : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {answers.needHelpListTruncated && (
        <p>
          Only the first {count(list.length)} are listed; {count(answers.needHelp)} asked for help.
        </p>
      )}
    </section>
  );
}

/**
 * Answers to the alert: safe, need help, no answer. The need-help list names people, so it shows
 * only to operators holding directory.read (the API leaves it out for everyone else and audits each read).
 */
export function Acknowledgements({ answers }: { answers: Answers }) {
  const { can } = useSession();
  const showList = can('directory.read') && answers.needHelpList !== null;
  return (
    <section aria-labelledby="al-answers">
      <h2 id="al-answers">Acknowledgements</h2>
      {!answers.requested ? (
        <p>This alert did not ask people to answer.</p>
      ) : (
        <>
          <dl className="al-answers">
            <div>
              <dt>Safe</dt>
              <dd>{count(answers.safe)}</dd>
            </div>
            <div className={answers.needHelp > 0 ? 'al-need' : undefined}>
              <dt>Need help</dt>
              <dd>{count(answers.needHelp)}</dd>
            </div>
            <div>
              <dt>No answer yet</dt>
              <dd>{answers.noResponse === null ? '—' : count(answers.noResponse)}</dd>
            </div>
          </dl>
          {showList && <NeedHelpList answers={answers} />}
        </>
      )}
    </section>
  );
}
