import type { Generated } from 'kysely';

interface CampusesTable {
  id: Generated<string>;
  slug: string;
  name: string;
  address: string | null;
  created_at: Generated<Date>;
}

interface SchemaMigrationsTable {
  name: string;
  checksum: string;
  applied_at: Generated<Date>;
}

interface SystemSecretsTable {
  name: string;
  secret: Buffer;
  created_at: Generated<Date>;
}

/** A working process and its heartbeat (migration 0019). */
interface WorkersTable {
  id: string;
  host: string;
  pid: number;
  started_at: Generated<Date>;
  last_seen: Generated<Date>;
}

/** The pg-boss job a worker is running, while it runs. */
interface WorkerJobsTable {
  job_id: string;
  worker_id: string;
  started_at: Generated<Date>;
}

export interface PlatformTables {
  campuses: CampusesTable;
  schema_migrations: SchemaMigrationsTable;
  system_secrets: SystemSecretsTable;
  workers: WorkersTable;
  worker_jobs: WorkerJobsTable;
}
