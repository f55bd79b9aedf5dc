import { readFileSync } from 'node:fs';
import { Client, ResultCodeError, type Entry } from 'ldapts';
import type { LdapConfig } from '../../platform/config.js';
import type { AppContext } from '../../platform/context.js';
import type { Profile } from '../../platform/profile.js';
import { FeedFormatError, type FeedContents } from './csv-feed.js';
import { recordFromFields, type FieldName } from './directory-record.js';

// Fields whose LDAP attribute may hold several values, all of which count; the rest use the first value.
const multiValued = new Set<FieldName>(['email', 'mobile', 'officePhone']);
const connectTimeoutMs = 10_000;
// Per operation (one page, the bind): a stuck server fails the run rather than holding the job.
const operationTimeoutMs = 120_000;

// RFC 4511 result names, and what an administrator can do about the common ones.
const resultNames: Record<number, string> = {
  3: 'time limit exceeded',
  4: 'size limit exceeded; the bind DN may read fewer entries than there are: raise its limit for paged searches (OpenLDAP: size.prtotal=unlimited)',
  8: 'strong authentication required; use an ldaps:// URL or set TOCSIN_LDAP_TLS_CA_FILE for StartTLS',
  11: 'administrative limit exceeded',
  13: 'confidentiality required; use an ldaps:// URL or set TOCSIN_LDAP_TLS_CA_FILE for StartTLS',
  32: 'no such object; check TOCSIN_LDAP_BASE_DN',
  34: 'invalid DN syntax',
  48: 'inappropriate authentication',
  49: 'invalid credentials; check TOCSIN_LDAP_BIND_DN and TOCSIN_LDAP_BIND_PASSWORD',
  50: 'insufficient access rights',
  51: 'server busy',
  52: 'server unavailable',
  53: 'server unwilling to perform',
};

/** The LDAP feed reader of sync runs: the configured directory; a run fails if LDAP is not configured. */
export async function readConfiguredLdap(ctx: AppContext): Promise<FeedContents> {
  if (!ctx.config.ldap)
    throw new FeedFormatError('LDAP sync is not configured: set TOCSIN_LDAP_URL and TOCSIN_LDAP_BASE_DN');
  const started = performance.now();
  const contents = await readLdapFeed(ctx.config.ldap, ctx.profile);
  ctx.log.info(
    { entries: contents.rows, errors: contents.errors.length, ms: Math.round(performance.now() - started) },
    'LDAP directory read',
  );
  return contents;
}

/**
 * Read every person under the configured base DN with a paged search and map each entry through
 * the profile's directory.ldapAttributes. Unusable entries become row errors naming their DN
 * (line 0: an LDAP entry has no line). Any connection, bind or search failure throws
 * FeedFormatError: a partial result is never returned, so a broken search cannot deactivate anyone.
 */
export async function readLdapFeed(ldap: LdapConfig, profile: Profile): Promise<FeedContents> {
  const ca = ldap.tlsCaFile ? readCa(ldap.tlsCaFile) : undefined;
  const secure = ldap.url.startsWith('ldaps://');
  const client = new Client({
    url: ldap.url,
    connectTimeout: connectTimeoutMs,
    timeout: operationTimeoutMs,
    // ldapts speaks TLS from the first byte whenever tlsOptions is set: only for ldaps://.
    tlsOptions: ca && secure ? { ca } : undefined,
  });
  try {
    // A CA file with an ldap:// URL means StartTLS: the bind password never crosses the network in
    // clear. ldapts upgrades the socket without the URL's host: pass it, or "localhost" is verified.
    if (ca && !secure)
      await step(ldap, `StartTLS with ${ldap.url} failed`, () =>
        client.startTLS({ ca, host: new URL(ldap.url).hostname }),
      );
    if (ldap.bindDn)
      await step(ldap, `LDAP bind as ${ldap.bindDn} failed`, () =>
        client.bind(ldap.bindDn!, ldap.bindPassword!),
      );
    return await step(ldap, `LDAP search under ${ldap.baseDn} failed`, () =>
      searchPeople(client, ldap, profile),
    );
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

async function searchPeople(client: Client, ldap: LdapConfig, profile: Profile): Promise<FeedContents> {
  const mapping = profile.directory.ldapAttributes;
  const contents: FeedContents = { records: [], errors: [], heldIds: [], rows: 0 };
  const seen = new Map<string, string>();
  const pages = client.searchPaginated(ldap.baseDn, {
    scope: 'sub',
    filter: ldap.filter,
    attributes: [...new Set(Object.values(mapping))],
    paged: { pageSize: ldap.pageSize },
  });
  for await (const page of pages) {
    for (const entry of page.searchEntries) {
      contents.rows += 1;
      addEntry(contents, seen, entry, mapping, profile);
    }
  }
  return contents;
}

function addEntry(
  contents: FeedContents,
  seen: Map<string, string>,
  entry: Entry,
  mapping: Profile['directory']['ldapAttributes'],
  profile: Profile,
): void {
  const result = recordFromFields(fieldsOf(entry, mapping), profile);
  if (!result.ok) {
    const reason = `entry ${entry.dn}: ${result.reasons.join('; ')}`;
    contents.errors.push({ line: 0, institutionalId: result.institutionalId, reason });
    if (result.institutionalId) contents.heldIds.push(result.institutionalId);
    return;
  }
  const key = result.record.institutionalId.toLowerCase();
  const first = seen.get(key);
  if (first !== undefined) {
    const reason = `entry ${entry.dn}: duplicate of entry ${first}; the first entry was used`;
    contents.errors.push({ line: 0, institutionalId: result.record.institutionalId, reason });
    return;
  }
  seen.set(key, entry.dn);
  contents.records.push(result.record);
}

/** The entry's values for each mapped field; attribute names match case-insensitively, as in LDAP. */
function fieldsOf(
  entry: Entry,
  mapping: Profile['directory']['ldapAttributes'],
): Partial<Record<FieldName, string>> {
  const byName = new Map(Object.entries(entry).map(([name, value]) => [name.toLowerCase(), value]));
  const fields: Partial<Record<FieldName, string>> = {};
  for (const [field, attribute] of Object.entries(mapping) as Array<[FieldName, string]>) {
    const values = valuesOf(byName.get(attribute.toLowerCase()));
    if (values.length === 0) continue;
    // recordFromFields splits multi-valued fields on ';', the separator CSV cells use.
    fields[field] = multiValued.has(field) ? values.join('; ') : values[0];
  }
  return fields;
}

function valuesOf(value: Entry[string] | undefined): string[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : v));
}

function readCa(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new FeedFormatError(
      `Cannot read TOCSIN_LDAP_TLS_CA_FILE ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
}

async function step<T>(ldap: LdapConfig, failure: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof FeedFormatError) throw error;
    throw new FeedFormatError(describeFailure(ldap.url, failure, error));
  }
}

/** One line an administrator can act on: unreachable server, or the LDAP result of the step that failed. */
function describeFailure(url: string, failure: string, error: unknown): string {
  if (error instanceof ResultCodeError) {
    // ldapts puts the server's diagnostic text first and the result code last.
    const said = error.message.replace(/\s*Code: 0x[0-9a-f]+$/i, '').trim();
    const name = resultNames[error.code] ?? `LDAP result ${error.code}`;
    return `${failure}: ${name}${said ? ` (the server said: ${said})` : ''}`;
  }
  if (!(error instanceof Error)) return `${failure}: ${String(error)}`;
  const code = (error as NodeJS.ErrnoException).code;
  // Socket errors (ECONNREFUSED) speak for themselves; TLS ones (ERR_TLS_CERT_ALTNAME_INVALID) need text.
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code))
    return `Cannot reach the LDAP server at ${url}: ${code}`;
  if (typeof code === 'string')
    return `TLS with the LDAP server at ${url} failed: ${code} (${error.message}); check TOCSIN_LDAP_TLS_CA_FILE and the host name in TOCSIN_LDAP_URL`;
  if (error.message === 'Connection timeout')
    return `Cannot reach the LDAP server at ${url}: no answer within ${connectTimeoutMs / 1000} s`;
  return `${failure}: ${error.message}`;
}
