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

export interface PlatformTables {
  campuses: CampusesTable;
  schema_migrations: SchemaMigrationsTable;
  system_secrets: SystemSecretsTable;
}
