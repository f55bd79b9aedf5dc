import { auditCheckpointJob } from '../audit/audit.jobs.js';
import { ldapSyncScheduleJob } from '../directory/sync/ldap.jobs.js';
import {
  alertFanoutJob,
  deliverEmailJob,
  deliverPublicJob,
  deliverSmsJob,
  deliverVoiceJob,
} from '../alerts/alerts.jobs.js';
import { deliverySweepLoop } from '../alerts/delivery/sweeper.js';
import { fireScheduleJob, scheduleNoticeJob, scheduleSweepLoop } from '../alerts/schedules/schedules.jobs.js';
import { alertEscalationJob } from '../alerts/replies/escalation.jobs.js';
import {
  capFeedPollJob,
  capFeedScheduleLoop,
  inboundCapPurgeJob,
} from '../alerts/inbound-cap/inbound-cap.jobs.js';
import { inboundSmsPurgeJob } from '../alerts/replies/inbound-sms.jobs.js';
import { registrationPurgeJob, sendVerificationJob } from '../alerts/self-registration/registration.jobs.js';
import { directorySyncJob } from '../directory/sync/sync.jobs.js';
import { identityPurgeJob } from '../identity/identity.jobs.js';
import type { JobDefinition } from '../platform/queue/job.js';
import type { LoopDefinition } from '../platform/queue/loop.js';
import { publicMirrorLoop } from '../public/public-mirror.loop.js';

/** Every job this build can run; a worker refuses to start if the queue holds any other. */
export const allJobs = [
  alertFanoutJob,
  deliverSmsJob,
  deliverEmailJob,
  deliverVoiceJob,
  deliverPublicJob,
  alertEscalationJob,
  inboundSmsPurgeJob,
  capFeedPollJob,
  inboundCapPurgeJob,
  auditCheckpointJob,
  identityPurgeJob,
  directorySyncJob,
  sendVerificationJob,
  registrationPurgeJob,
  ldapSyncScheduleJob,
  fireScheduleJob,
  scheduleNoticeJob,
] as unknown as readonly JobDefinition<never>[];

/** What every worker process repeats every few seconds. */
export const allLoops: readonly LoopDefinition[] = [
  publicMirrorLoop,
  deliverySweepLoop,
  capFeedScheduleLoop,
  scheduleSweepLoop,
];
