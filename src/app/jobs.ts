import { auditCheckpointJob } from '../audit/audit.jobs.js';
import { ldapSyncScheduleJob } from '../directory/sync/ldap.jobs.js';
import { alertFanoutJob, deliveryBatchJob } from '../alerts/alerts.jobs.js';
import { directorySyncJob } from '../directory/sync/sync.jobs.js';
import { identityPurgeJob } from '../identity/identity.jobs.js';
import type { JobDefinition } from '../platform/queue/job.js';

/** Every job this build can run; a worker refuses to start if the queue holds any other. */
export const allJobs = [
  alertFanoutJob,
  deliveryBatchJob,
  auditCheckpointJob,
  identityPurgeJob,
  directorySyncJob,
  ldapSyncScheduleJob,
] as unknown as readonly JobDefinition<never>[];
