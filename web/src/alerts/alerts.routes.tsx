import type { RouteObject } from 'react-router';
import { RequirePermission } from '../layout/Forbidden';
import { AlertDashboard } from './AlertDashboard';
import { AlertHistory } from './AlertHistory';
import { SchedulesPage } from './SchedulesPage';

/** Alert history and each alert's live dashboard. */
export const alertRoutes: RouteObject[] = [
  {
    path: 'alerts',
    element: (
      <RequirePermission permission="alerts.read">
        <AlertHistory />
      </RequirePermission>
    ),
  },
  {
    path: 'schedules',
    element: (
      <RequirePermission permission="alerts.read">
        <SchedulesPage />
      </RequirePermission>
    ),
  },
  {
    path: 'alerts/:id',
    element: (
      <RequirePermission permission="alerts.read">
        <AlertDashboard />
      </RequirePermission>
    ),
  },
];
