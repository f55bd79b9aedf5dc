import type { ReactNode } from 'react';
import { useSession } from '../session/session-context';

/** Renders `children` only for operators holding `permission`; others see why not. */
export function RequirePermission({
  permission,
  children,
}: {
  permission: string | string[];
  children: ReactNode;
}) {
  const { can } = useSession();
  const needed = Array.isArray(permission) ? permission : [permission];
  if (needed.some((p) => can(p))) return <>{children}</>;
  return (
    <section>
      <h1>Not available to your roles</h1>
      <p>
        This screen needs the permission <code>{needed.join(' or ')}</code>. Ask a Tocsin administrator if
        your work needs it.
      </p>
    </section>
  );
}
