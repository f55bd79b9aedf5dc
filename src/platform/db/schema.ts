import type { PlatformTables } from '../platform.tables.js';
import type { IdentityTables } from '../../identity/identity.tables.js';
import type { AuditTables } from '../../audit/audit.tables.js';
import type { DirectoryTables } from '../../directory/directory.tables.js';
import type { AlertTables } from '../../alerts/alerts.tables.js';
import type { ReplyTables } from '../../alerts/replies/replies.tables.js';
import type { InboundCapTables } from '../../alerts/inbound-cap/inbound-cap.tables.js';
import type { SelfRegistrationTables } from '../../alerts/self-registration/self-registration.tables.js';

/** The whole database as Kysely sees it: each domain declares its own tables beside its code. */
export interface Database
  extends
    PlatformTables,
    IdentityTables,
    AuditTables,
    DirectoryTables,
    AlertTables,
    SelfRegistrationTables,
    ReplyTables,
    InboundCapTables {}
