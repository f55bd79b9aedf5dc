import { useState } from 'react';
import { NavLink, Outlet } from 'react-router';
import { useSession } from '../session/session-context';
import { navigation } from './navigation';
import { OperatorNotices } from './OperatorNotices';

/** Header, the menu the operator's permissions allow, and the current screen. */
export function Shell() {
  const session = useSession();
  const [menuOpen, setMenuOpen] = useState(false);
  const items = navigation.filter((item) => item.visible(session));
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">{session.settings.institution.shortName} Tocsin</span>
        <button
          type="button"
          className="menu-button"
          aria-expanded={menuOpen}
          aria-controls="main-menu"
          onClick={() => setMenuOpen((open) => !open)}
        >
          Menu
        </button>
        <nav id="main-menu" aria-label="Console" className={menuOpen ? 'open' : undefined}>
          <ul>
            {items.map((item) => (
              <li key={item.path}>
                <NavLink to={item.path} end={item.path === '/console/'} onClick={() => setMenuOpen(false)}>
                  {item.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <span className="who">
          {session.session.operator.displayName}{' '}
          <button type="button" className="link-button" onClick={() => void session.signOut()}>
            Sign out
          </button>
        </span>
      </header>
      <main id="main" tabIndex={-1}>
        <OperatorNotices />
        <Outlet />
      </main>
    </>
  );
}
