import type { AlertTables } from '../alerts/alerts.tables.js';
import type { InboundCapTables } from '../alerts/inbound-cap/inbound-cap.tables.js';
import type { ReplyTables } from '../alerts/replies/replies.tables.js';
import type { AlertScheduleTables } from '../alerts/schedules/schedules.tables.js';
import type { SelfRegistrationTables } from '../alerts/self-registration/self-registration.tables.js';
import type { AuditTables } from '../audit/audit.tables.js';
import type { DirectoryTables } from '../directory/directory.tables.js';
import type { IdentityTables } from '../identity/identity.tables.js';

// The database type, composed: every domain's tables join platform's `Database` interface here, so
// `Db` and `Trx` (src/platform/db/database.ts) know every table while platform imports no domain.
// A new domain adds its `*Tables` interface to this list.
declare module '../platform/db/schema.js' {
  interface Database
    extends
      IdentityTables,
      AuditTables,
      DirectoryTables,
      AlertTables,
      SelfRegistrationTables,
      ReplyTables,
      InboundCapTables,
      AlertScheduleTables {}
}
