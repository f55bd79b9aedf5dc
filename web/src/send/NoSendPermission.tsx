import { Link } from 'react-router';
import { useSession } from '../session/session-context';

/** What an operator whose roles send nothing sees where the send flow would be. */
export function NoSendPermission() {
  const { can, settings } = useSession();
  return (
    <section>
      <h1>Sending alerts is not part of your roles</h1>
      <p>
        Your account may not send {settings.institution.alertProgramName} alerts of any kind. If your work
        needs it, ask a Tocsin administrator for a role that may send them. In an emergency, call the people
        who can send an alert now.
      </p>
      {can('alerts.read') && (
        <p>
          <Link to="/console/alerts">See the alerts that were sent</Link>
        </p>
      )}
    </section>
  );
}
