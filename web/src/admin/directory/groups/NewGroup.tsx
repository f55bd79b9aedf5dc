import { Link, useNavigate } from 'react-router';
import { RequirePermission } from '../../../layout/Forbidden';
import { usePageTitle } from '../ui';
import { GroupForm } from './GroupForm';

/** Create a static or dynamic group (directory.manage). */
export function NewGroup() {
  usePageTitle('New group');
  const navigate = useNavigate();
  return (
    <RequirePermission permission="directory.manage">
      <section className="dir">
        <p>
          <Link to="/console/groups">← Groups</Link>
        </p>
        <h1>New group</h1>
        <GroupForm
          onSaved={(g) => navigate(`/console/groups/${g.id}`)}
          onCancel={() => navigate('/console/groups')}
        />
      </section>
    </RequirePermission>
  );
}
