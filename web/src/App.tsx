import { createBrowserRouter, RouterProvider, type RouteObject } from 'react-router';
import { adminRoutes } from './admin/admin.routes';
import { alertRoutes } from './alerts/alerts.routes';
import { Shell } from './layout/Shell';
import { NotFound } from './layout/NotFound';
import { sendRoutes } from './send/send.routes';
import { SessionProvider } from './session/SessionProvider';

const routes: RouteObject[] = [
  {
    path: '/console',
    element: <Shell />,
    children: [...sendRoutes, ...alertRoutes, ...adminRoutes, { path: '*', element: <NotFound /> }],
  },
];

const router = createBrowserRouter(routes);

/** The operator console: sign-in first, then the screens the operator's roles allow. */
export function App() {
  return (
    <SessionProvider>
      <RouterProvider router={router} />
    </SessionProvider>
  );
}
