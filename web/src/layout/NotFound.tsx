import { Link } from 'react-router';

/** A console path that names no screen. */
export function NotFound() {
  return (
    <section>
      <h1>No such page</h1>
      <p>
        <Link to="/console/">Back to the start page</Link>
      </p>
    </section>
  );
}
