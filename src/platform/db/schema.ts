import type { PlatformTables } from '../platform.tables.js';

/**
 * The whole database as Kysely sees it. Platform declares only its own tables; each domain declares
 * its tables beside its code, and the composition root (`src/app/database.ts`) adds them to this
 * interface by declaration merging, so platform code never imports a domain.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- domains' tables merge in from src/app/database.ts
export interface Database extends PlatformTables {}
