import { Link } from 'react-router';
import { navigation } from '../layout/navigation';
import { useSession } from '../session/session-context';

/** What an administrator may do here: the administration sections their roles open. */
const adminSections = [
  '/console/operators',
  '/console/tokens',
  '/console/providers',
  '/console/outbox',
  '/console/audit',
];

/** What an operator whose roles send nothing sees where the send flow would be. */
export function NoSendPermission() {
  const session = useSession();
  const { can, settings } = session;
  const program = settings.institution.alertProgramName;
  if (can('operators.manage')) {
    const sections = navigation.filter((n) => adminSections.includes(n.path) && n.visible(session));
    return (
      <section>
        <h1>You administer Tocsin</h1>
        <p>Your roles run the platform and send no {program} alerts. From here you can manage:</p>
        <ul>
          {sections.map((n) => (
            <li key={n.path}>
              <Link to={n.path}>{n.label}</Link>
            </li>
          ))}
        </ul>
        <p>
          Nobody may change their own roles. If you must send alerts, another administrator grants you a
          sending role under Operators, and the other administrators are told. In an emergency, call the
          people who can send an alert now.
        </p>
      </section>
    );
  }
  return (
    <section>
      <h1>Sending alerts is not part of your roles</h1>
      <p>
        Your account may not send {program} alerts of any kind. If your work needs it, ask a Tocsin
        administrator for a role that may send them. In an emergency, call the people who can send an alert
        now.
      </p>
      {can('alerts.read') && (
        <p>
          <Link to="/console/alerts">See the alerts that were sent</Link>
        </p>
      )}
    </section>
  );
}
