import path from 'node:path';
import { z } from 'zod';
import { deliveryConfig, deliveryEnvShape, deliveryVariables } from './delivery-config.js';
import type { DeliveryConfig } from './delivery-settings.js';

/** Where the package lives; relative defaults (profile) resolve from here. */
export const packageRoot = path.resolve(import.meta.dirname, '..', '..');

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => ['true', '1', 'yes'].includes(v));
const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().min(1);
/** Comma-separated http(s) URLs, blanks and repeats dropped. */
const httpUrlList = z
  .string()
  .transform((v) => [...new Set(v.split(',').map((u) => u.trim()))].filter(Boolean))
  .pipe(z.array(z.url({ protocol: /^https?$/, error: 'must be http(s) URLs separated by commas' })));

const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  TOCSIN_DATA_DIR: z.string().min(1).default('./data'),
  TOCSIN_EMBEDDED_PG_PORT: port.default(54329),
  TOCSIN_HOST: z.string().min(1).default('127.0.0.1'),
  TOCSIN_PORT: port.default(3000),
  TOCSIN_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  TOCSIN_PROFILE: z
    .string()
    .min(1)
    .default(path.join(packageRoot, 'profiles', 'mit.yaml')),
  TOCSIN_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TOCSIN_AUDIT_KEY_FILE: z.string().min(1).optional(),
  TOCSIN_AUDIT_CHECKPOINT_CRON: z.string().min(9).default('*/5 * * * *'),
  TOCSIN_COOKIE_SECURE: bool.default(true),
  TOCSIN_TRUST_PROXY: bool.default(false),
  TOCSIN_DB_POOL_SIZE: positiveInt.max(200).default(10),
  TOCSIN_WORKER_CONCURRENCY: positiveInt.max(64).default(4),
  TOCSIN_SHUTDOWN_TIMEOUT_SECONDS: positiveInt.max(600).default(20),
  TOCSIN_OIDC_ISSUER: z.url().optional(),
  TOCSIN_OIDC_CLIENT_ID: z.string().min(1).optional(),
  TOCSIN_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  TOCSIN_OIDC_SCOPES: z.string().min(1).default('openid profile email groups'),
  TOCSIN_OIDC_GROUPS_CLAIM: z.string().min(1).default('groups'),
  TOCSIN_OIDC_ALLOW_HTTP: bool.default(false),
  TOCSIN_LDAP_URL: z.url({ protocol: /^ldaps?$/, error: 'must be an ldap:// or ldaps:// URL' }).optional(),
  TOCSIN_LDAP_BIND_DN: z.string().min(1).optional(),
  TOCSIN_LDAP_BIND_PASSWORD: z.string().min(1).optional(),
  TOCSIN_LDAP_BASE_DN: z.string().min(1).optional(),
  TOCSIN_LDAP_FILTER: z
    .string()
    .regex(/^\(.*\)$/s, 'must be an LDAP filter in parentheses')
    .default('(objectClass=inetOrgPerson)'),
  TOCSIN_LDAP_PAGE_SIZE: positiveInt.max(10_000).default(500),
  TOCSIN_LDAP_SYNC_CRON: z.string().min(9).optional(),
  TOCSIN_LDAP_TLS_CA_FILE: z.string().min(1).optional(),
  TOCSIN_PUBLIC_SITE_URL: z.url({ protocol: /^https?$/ }).optional(),
  TOCSIN_PUBLIC_MIRROR_DIR: z.string().min(1).optional(),
  TOCSIN_PUBLIC_MAX_AGE_SECONDS: z.coerce.number().int().min(0).max(300).default(5),
  TOCSIN_PUBLIC_STALE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(5),
  TOCSIN_CAP_FEEDS: httpUrlList.optional(),
  TOCSIN_CAP_FEED_POLL_SECONDS: z.coerce.number().int().min(15).max(86_400).default(60),
  TOCSIN_CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),
  TOCSIN_TOKEN: z.string().min(1).optional(),
  ...deliveryEnvShape,
});

/** Every environment variable Tocsin reads, with its description (docs/administration.md and `--help` show these). */
export const configVariables: Record<keyof z.infer<typeof envSchema>, string> = {
  DATABASE_URL:
    'PostgreSQL server URL. Unset: `tocsin start` runs an embedded PostgreSQL in TOCSIN_DATA_DIR.',
  TOCSIN_DATA_DIR:
    'Directory for the embedded database, the audit signing key and the process lock (default ./data).',
  TOCSIN_EMBEDDED_PG_PORT: 'Port of the embedded PostgreSQL, bound to 127.0.0.1 (default 54329).',
  TOCSIN_HOST: 'Address the HTTP server binds (default 127.0.0.1; 0.0.0.0 behind a load balancer).',
  TOCSIN_PORT: 'HTTP port (default 3000).',
  TOCSIN_PUBLIC_URL: 'The URL people use to reach Tocsin (default http://localhost:$TOCSIN_PORT).',
  TOCSIN_PROFILE: 'Policy profile YAML (default profiles/mit.yaml).',
  TOCSIN_LOG_LEVEL: 'fatal, error, warn, info (default), debug, trace or silent.',
  TOCSIN_AUDIT_KEY_FILE:
    'Ed25519 private key (PEM) that signs audit checkpoints (default $TOCSIN_DATA_DIR/audit-signing-key.pem, created if missing).',
  TOCSIN_AUDIT_CHECKPOINT_CRON: 'When workers sign an audit checkpoint (cron, default every 5 minutes).',
  TOCSIN_COOKIE_SECURE:
    'Mark session cookies Secure (default true; browsers accept Secure cookies on http://localhost).',
  TOCSIN_TRUST_PROXY: 'Trust X-Forwarded-* headers from a reverse proxy (default false).',
  TOCSIN_DB_POOL_SIZE: 'PostgreSQL connections per process (default 10).',
  TOCSIN_WORKER_CONCURRENCY: 'Jobs a worker process runs at once per queue (default 4).',
  TOCSIN_SHUTDOWN_TIMEOUT_SECONDS: 'How long shutdown waits for in-flight requests and jobs (default 20).',
  TOCSIN_OIDC_ISSUER:
    'OpenID Connect issuer URL; set it with the client id and secret to enable single sign-on.',
  TOCSIN_OIDC_CLIENT_ID: 'OpenID Connect client id.',
  TOCSIN_OIDC_CLIENT_SECRET: 'OpenID Connect client secret.',
  TOCSIN_OIDC_SCOPES: 'Scopes requested at sign-on (default "openid profile email groups").',
  TOCSIN_OIDC_GROUPS_CLAIM:
    'ID-token or userinfo claim that lists the IdP groups (default groups); the profile maps groups to roles.',
  TOCSIN_OIDC_ALLOW_HTTP: 'Allow an http:// issuer (development and tests only; default false).',
  TOCSIN_LDAP_URL:
    'LDAP directory to sync people from (ldap:// or ldaps://); set it with TOCSIN_LDAP_BASE_DN to enable LDAP sync.',
  TOCSIN_LDAP_BIND_DN: 'DN the sync binds as (unset: anonymous); set it with TOCSIN_LDAP_BIND_PASSWORD.',
  TOCSIN_LDAP_BIND_PASSWORD: 'Password of TOCSIN_LDAP_BIND_DN.',
  TOCSIN_LDAP_BASE_DN:
    'Where the sync searches for people (whole subtree), e.g. ou=people,dc=example,dc=edu.',
  TOCSIN_LDAP_FILTER:
    'Which entries are people (default "(objectClass=inetOrgPerson)"); attributes come from directory.ldapAttributes in the profile.',
  TOCSIN_LDAP_PAGE_SIZE:
    'Entries per page of the paged search (default 500; a server may cap it, e.g. Active Directory at 1,000).',
  TOCSIN_LDAP_SYNC_CRON:
    'When workers apply an LDAP sync (cron in the profile’s time zone); unset: only on request. The deactivation brake still applies.',
  TOCSIN_LDAP_TLS_CA_FILE:
    'CA certificate (PEM) that verifies the LDAP server; with an ldap:// URL the sync upgrades the connection with StartTLS.',
  TOCSIN_PUBLIC_SITE_URL:
    'Where people reach the public emergency page (e.g. https://emergency.mit.net, a CDN or the mirror); feeds link there (default TOCSIN_PUBLIC_URL).',
  TOCSIN_PUBLIC_MIRROR_DIR:
    'Workers write the whole public site here as static files after every send, update, all-clear and close (unset: only `tocsin public export`).',
  TOCSIN_PUBLIC_MAX_AGE_SECONDS: 'Cache-Control max-age of public pages and feeds (default 5).',
  TOCSIN_PUBLIC_STALE_SECONDS:
    'Cache-Control stale-while-revalidate of public pages and feeds (default 5: long enough for a CDN to revalidate, short enough that nobody reads an old page).',
  TOCSIN_CAP_FEEDS:
    'Atom feeds of CAP 1.2 alerts that workers poll into the inbound CAP queue, comma-separated http(s) URLs (e.g. https://api.weather.gov/alerts/active.atom?zone=MAZ014).',
  TOCSIN_CAP_FEED_POLL_SECONDS: 'How often each CAP feed is polled, in seconds (default 60, at least 15).',
  TOCSIN_CHROMIUM_PATH:
    'Chromium that prints the after-action PDFs (default /usr/bin/chromium); without it the PDF answers 503 and the HTML report still works.',
  TOCSIN_TOKEN:
    'An operator’s API token that `tocsin alert send|update|close` act with (better than --token, which the process list shows); its permissions are checked as over HTTP.',
  ...deliveryVariables,
};

export interface Config {
  databaseUrl: string | undefined;
  dataDir: string;
  embeddedPgPort: number;
  host: string;
  port: number;
  publicUrl: string;
  profilePath: string;
  logLevel: z.infer<typeof envSchema>['TOCSIN_LOG_LEVEL'];
  auditKeyFile: string;
  auditCheckpointCron: string;
  cookieSecure: boolean;
  trustProxy: boolean;
  dbPoolSize: number;
  workerConcurrency: number;
  shutdownTimeoutMs: number;
  oidc: OidcConfig | undefined;
  ldap: LdapConfig | undefined;
  /** Delivery providers per channel in failover order; channels without one use the outbox. */
  delivery: DeliveryConfig;
  publicSite: PublicSiteConfig;
  /** Atom feeds of CAP alerts polled into the inbound CAP queue (none: no polling). */
  capFeeds: { urls: string[]; pollSeconds: number };
  /** The Chromium executable that prints reports to PDF (absolute, may be missing). */
  chromiumPath: string;
  /** TOCSIN_TOKEN: the API token the command line's alert commands act with, if set. */
  cliToken: string | undefined;
}

/** The public emergency page's deployment: its address, the mirror and the cache lifetimes. */
interface PublicSiteConfig {
  /** Absolute base URL of the public site, no trailing slash. */
  url: string;
  /** Absolute directory the workers keep the static mirror in, or null. */
  mirrorDir: string | null;
  maxAgeSeconds: number;
  staleSeconds: number;
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
  groupsClaim: string;
  allowHttp: boolean;
}

/** The LDAP directory feed; unset when TOCSIN_LDAP_URL and TOCSIN_LDAP_BASE_DN are. */
export interface LdapConfig {
  url: string;
  /** Null: bind anonymously. */
  bindDn: string | null;
  bindPassword: string | null;
  baseDn: string;
  filter: string;
  pageSize: number;
  /** Null: no scheduled sync. */
  syncCron: string | null;
  /** Absolute path of the CA certificate file, or null for the system's CAs. */
  tlsCaFile: string | null;
}

/** Raised when one or more environment variables are invalid; the message lists every one. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parse the environment once. Empty strings count as unset. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const relevant = Object.fromEntries(
    Object.keys(configVariables)
      .map((key) => [key, env[key]])
      .filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = envSchema.safeParse(relevant);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map(
        (issue) =>
          `${issue.path.join('.')}: ${issue.message} (got ${JSON.stringify(relevant[String(issue.path[0])])})`,
      ),
    );
  }
  return toConfig(parsed.data, cwd);
}

function toConfig(e: z.infer<typeof envSchema>, cwd: string): Config {
  const dataDir = path.resolve(cwd, e.TOCSIN_DATA_DIR);
  const oidcParts = [e.TOCSIN_OIDC_ISSUER, e.TOCSIN_OIDC_CLIENT_ID, e.TOCSIN_OIDC_CLIENT_SECRET];
  if (oidcParts.some(Boolean) && !oidcParts.every(Boolean)) {
    throw new ConfigError([
      'TOCSIN_OIDC_ISSUER, TOCSIN_OIDC_CLIENT_ID and TOCSIN_OIDC_CLIENT_SECRET: set all three to enable single sign-on, or none',
    ]);
  }
  const publicUrl = (e.TOCSIN_PUBLIC_URL ?? `http://localhost:${e.TOCSIN_PORT}`).replace(/\/+$/, '');
  const delivery = deliveryConfig(e, publicUrl, cwd);
  if (delivery.problems.length > 0) throw new ConfigError(delivery.problems);
  return {
    databaseUrl: e.DATABASE_URL,
    dataDir,
    embeddedPgPort: e.TOCSIN_EMBEDDED_PG_PORT,
    host: e.TOCSIN_HOST,
    port: e.TOCSIN_PORT,
    publicUrl,
    profilePath: path.resolve(cwd, e.TOCSIN_PROFILE),
    logLevel: e.TOCSIN_LOG_LEVEL,
    auditKeyFile: path.resolve(cwd, e.TOCSIN_AUDIT_KEY_FILE ?? path.join(dataDir, 'audit-signing-key.pem')),
    auditCheckpointCron: e.TOCSIN_AUDIT_CHECKPOINT_CRON,
    cookieSecure: e.TOCSIN_COOKIE_SECURE,
    trustProxy: e.TOCSIN_TRUST_PROXY,
    dbPoolSize: e.TOCSIN_DB_POOL_SIZE,
    workerConcurrency: e.TOCSIN_WORKER_CONCURRENCY,
    shutdownTimeoutMs: e.TOCSIN_SHUTDOWN_TIMEOUT_SECONDS * 1000,
    oidc:
      e.TOCSIN_OIDC_ISSUER && e.TOCSIN_OIDC_CLIENT_ID && e.TOCSIN_OIDC_CLIENT_SECRET
        ? {
            issuer: e.TOCSIN_OIDC_ISSUER,
            clientId: e.TOCSIN_OIDC_CLIENT_ID,
            clientSecret: e.TOCSIN_OIDC_CLIENT_SECRET,
            scopes: e.TOCSIN_OIDC_SCOPES,
            groupsClaim: e.TOCSIN_OIDC_GROUPS_CLAIM,
            allowHttp: e.TOCSIN_OIDC_ALLOW_HTTP,
          }
        : undefined,
    ldap: ldapConfig(e, cwd),
    delivery: delivery.delivery,
    publicSite: {
      url: (e.TOCSIN_PUBLIC_SITE_URL ?? publicUrl).replace(/\/+$/, ''),
      mirrorDir: e.TOCSIN_PUBLIC_MIRROR_DIR ? path.resolve(cwd, e.TOCSIN_PUBLIC_MIRROR_DIR) : null,
      maxAgeSeconds: e.TOCSIN_PUBLIC_MAX_AGE_SECONDS,
      staleSeconds: e.TOCSIN_PUBLIC_STALE_SECONDS,
    },
    capFeeds: { urls: e.TOCSIN_CAP_FEEDS ?? [], pollSeconds: e.TOCSIN_CAP_FEED_POLL_SECONDS },
    chromiumPath: path.resolve(cwd, e.TOCSIN_CHROMIUM_PATH),
    cliToken: e.TOCSIN_TOKEN,
  };
}

function ldapConfig(e: z.infer<typeof envSchema>, cwd: string): LdapConfig | undefined {
  const problems: string[] = [];
  if (Boolean(e.TOCSIN_LDAP_URL) !== Boolean(e.TOCSIN_LDAP_BASE_DN))
    problems.push('TOCSIN_LDAP_URL and TOCSIN_LDAP_BASE_DN: set both to enable LDAP sync, or neither');
  if (Boolean(e.TOCSIN_LDAP_BIND_DN) !== Boolean(e.TOCSIN_LDAP_BIND_PASSWORD))
    problems.push(
      'TOCSIN_LDAP_BIND_DN and TOCSIN_LDAP_BIND_PASSWORD: set both, or neither to bind anonymously',
    );
  const extras = [e.TOCSIN_LDAP_BIND_DN, e.TOCSIN_LDAP_SYNC_CRON, e.TOCSIN_LDAP_TLS_CA_FILE];
  if (!e.TOCSIN_LDAP_URL && !e.TOCSIN_LDAP_BASE_DN && extras.some(Boolean))
    problems.push(
      'TOCSIN_LDAP_*: other LDAP variables are set but TOCSIN_LDAP_URL and TOCSIN_LDAP_BASE_DN are not',
    );
  if (problems.length > 0) throw new ConfigError(problems);
  if (!e.TOCSIN_LDAP_URL || !e.TOCSIN_LDAP_BASE_DN) return undefined;
  return {
    url: e.TOCSIN_LDAP_URL,
    bindDn: e.TOCSIN_LDAP_BIND_DN ?? null,
    bindPassword: e.TOCSIN_LDAP_BIND_PASSWORD ?? null,
    baseDn: e.TOCSIN_LDAP_BASE_DN,
    filter: e.TOCSIN_LDAP_FILTER,
    pageSize: e.TOCSIN_LDAP_PAGE_SIZE,
    syncCron: e.TOCSIN_LDAP_SYNC_CRON ?? null,
    tlsCaFile: e.TOCSIN_LDAP_TLS_CA_FILE ? path.resolve(cwd, e.TOCSIN_LDAP_TLS_CA_FILE) : null,
  };
}
