import type { ReactNode } from 'react';
import type { RouteObject } from 'react-router';
import { RequirePermission } from '../../layout/Forbidden';
import { AuditPage } from './audit/AuditPage';
import { CapMessagePage } from './cap/CapMessagePage';
import { CapQueuePage } from './cap/CapQueuePage';
import { OperatorPage } from './operators/OperatorPage';
import { OperatorsPage } from './operators/OperatorsPage';
import { OutboxPage } from './outbox/OutboxPage';
import { ProvidersPage } from './providers/ProvidersPage';
import { TemplatePage } from './templates/TemplatePage';
import { TemplatesPage } from './templates/TemplatesPage';
import './system.css';

// Each screen needs the permission the server enforces on the API it reads; system.css applies
// inside .system-admin only.
const guarded = (path: string, permission: string, element: ReactNode): RouteObject => ({
  path,
  element: (
    <div className="system-admin">
      <RequirePermission permission={permission}>{element}</RequirePermission>
    </div>
  ),
});

/** Templates and their versions, providers and senders, the outbox, operators and roles, the audit log, inbound CAP. */
export const systemRoutes: RouteObject[] = [
  guarded('templates', 'alerts.read', <TemplatesPage />),
  guarded('templates/:id', 'alerts.read', <TemplatePage />),
  guarded('providers', 'providers.manage', <ProvidersPage />),
  guarded('outbox', 'outbox.read', <OutboxPage />),
  guarded('operators', 'operators.read', <OperatorsPage />),
  guarded('operators/:id', 'operators.read', <OperatorPage />),
  guarded('audit', 'audit.read', <AuditPage />),
  guarded('cap', 'inbound_cap.relay', <CapQueuePage />),
  guarded('cap/:id', 'inbound_cap.relay', <CapMessagePage />),
];
