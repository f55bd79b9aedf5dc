import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './ports.js';

/** One LDAP entry to load: its DN and attributes (several values as an array). */
export interface LdapEntry {
  dn: string;
  attributes: Record<string, string | string[]>;
}

/** A throwaway OpenLDAP server on 127.0.0.1, with its own config and mdb database in a temp dir. */
export interface Slapd {
  url: string;
  suffix: string;
  adminDn: string;
  adminPassword: string;
  /** A service account for reads with OpenLDAP's default limits: 100 entries a search, more only when paged. */
  readerDn: string;
  readerPassword: string;
  /** An account limited to 100 entries a search even when paged: a directory that hides people. */
  limitedDn: string;
  /** Base DN that holds the people entries. */
  peopleDn: string;
  /** With `tls`: the same server over ldaps://, and the self-signed certificate that verifies it (also for StartTLS). */
  ldapsUrl: string | null;
  caFile: string | null;
  stop(): Promise<void>;
}

const suffix = 'dc=example,dc=edu';
const adminDn = `cn=admin,${suffix}`;
const readerDn = `cn=reader,${suffix}`;
const limitedDn = `cn=limited,${suffix}`;
const peopleDn = `ou=people,${suffix}`;
const startTimeoutMs = 10_000;

// Debian's slapd ships core, cosine and inetOrgPerson but not eduPerson: this is the part of the
// eduPerson schema (Internet2/REFEDS, same OIDs) that the MIT profile's ldapAttributes use.
const eduPersonSchema = `
attributetype ( 1.3.6.1.4.1.5923.1.1.1.1 NAME 'eduPersonAffiliation'
  EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )
attributetype ( 1.3.6.1.4.1.5923.1.1.1.5 NAME 'eduPersonPrimaryAffiliation'
  EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
objectclass ( 1.3.6.1.4.1.5923.1.1.2 NAME 'eduPerson' AUXILIARY
  MAY ( eduPersonAffiliation $ eduPersonPrimaryAffiliation ) )
`;

// Debian's slapd package (apt-get install slapd): the server, its offline loader and its schemas.
const slapdBin = '/usr/sbin/slapd';
const slapaddBin = '/usr/sbin/slapadd';
const schemaDir = '/etc/ldap/schema';

/** True when `openssl` can make a certificate for the TLS tests. */
export const opensslAvailable = spawnSync('openssl', ['version']).status === 0;

/**
 * True when the LDAP tests cannot run here and should be skipped with this reason; in CI
 * (CI=true) a missing slapd is a failure, never a skip.
 */
export const slapdMissing =
  ![slapdBin, slapaddBin, schemaDir].every((p) => existsSync(p)) && process.env.CI !== 'true';

function slapdConf(dir: string, adminPassword: string, tls: boolean): string {
  return [
    ...(tls
      ? [
          `TLSCertificateFile ${path.join(dir, 'cert.pem')}`,
          `TLSCertificateKeyFile ${path.join(dir, 'key.pem')}`,
        ]
      : []),
    ...['core', 'cosine', 'inetorgperson'].map((s) => `include ${schemaDir}/${s}.schema`),
    `include ${path.join(dir, 'eduperson.schema')}`,
    'modulepath /usr/lib/ldap',
    'moduleload back_mdb',
    `pidfile ${path.join(dir, 'slapd.pid')}`,
    `argsfile ${path.join(dir, 'slapd.args')}`,
    'database mdb',
    'maxsize 268435456',
    `suffix "${suffix}"`,
    `rootdn "${adminDn}"`,
    `rootpw ${adminPassword}`,
    `directory ${path.join(dir, 'data')}`,
    // Nothing here needs to survive a crash; skipping fsync keeps modifications in tests fast.
    'dbnosync',
    'index objectClass eq',
    'index uid eq',
    // Like a campus directory's service account: plain searches stop at 100 entries, paged ones may read all.
    `limits dn.exact="${readerDn}" size.soft=100 size.hard=100 size.prtotal=unlimited`,
    `limits dn.exact="${limitedDn}" size.soft=100 size.hard=100`,
    'access to attrs=userPassword by anonymous auth by * none',
    'access to * by users read by * none',
    '',
  ].join('\n');
}

/** LDIF for the entries; values that are not plain printable ASCII are base64-encoded, as LDIF requires. */
function toLdif(entries: LdapEntry[]): string {
  const line = (name: string, value: string) =>
    /^[\x21-\x39\x3b\x3d-\x7e][\x20-\x7e]*$/.test(value) && !value.endsWith(' ')
      ? `${name}: ${value}`
      : `${name}:: ${Buffer.from(value, 'utf8').toString('base64')}`;
  return entries
    .map((e) =>
      [
        line('dn', e.dn),
        ...Object.entries(e.attributes).flatMap(([name, v]) =>
          (Array.isArray(v) ? v : [v]).map((value) => line(name, value)),
        ),
      ].join('\n'),
    )
    .join('\n\n')
    .concat('\n');
}

function baseEntries(readerPassword: string): LdapEntry[] {
  const account = (dn: string, cn: string): LdapEntry => ({
    dn,
    attributes: {
      objectClass: ['organizationalRole', 'simpleSecurityObject'],
      cn,
      userPassword: readerPassword,
    },
  });
  return [
    {
      dn: suffix,
      attributes: { objectClass: ['dcObject', 'organization'], dc: 'example', o: 'Example University' },
    },
    { dn: peopleDn, attributes: { objectClass: 'organizationalUnit', ou: 'people' } },
    account(readerDn, 'reader'),
    account(limitedDn, 'limited'),
  ];
}

/** A self-signed certificate for 127.0.0.1 (EC: generated in milliseconds). */
function makeCertificate(dir: string): void {
  const made = spawnSync(
    'openssl',
    [
      ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
      ...['-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '2'],
      ...['-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
    ],
    { encoding: 'utf8', timeout: startTimeoutMs },
  );
  if (made.status !== 0) throw new Error(`openssl could not make a test certificate: ${made.stderr}`);
}

/**
 * Start slapd with the entries loaded (offline, with slapadd, before the server starts: loading
 * thousands of entries takes milliseconds that way). Fails after 10 s if slapd does not answer.
 */
export async function startSlapd(entries: LdapEntry[] = [], options: { tls?: boolean } = {}): Promise<Slapd> {
  const tls = options.tls ?? false;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tocsin-slapd-'));
  const adminPassword = 'admin-secret';
  const readerPassword = 'reader-secret';
  mkdirSync(path.join(dir, 'data'));
  writeFileSync(path.join(dir, 'eduperson.schema'), eduPersonSchema);
  const conf = path.join(dir, 'slapd.conf');
  if (tls) makeCertificate(dir);
  writeFileSync(conf, slapdConf(dir, adminPassword, tls));
  writeFileSync(path.join(dir, 'entries.ldif'), toLdif([...baseEntries(readerPassword), ...entries]));
  const load = spawnSync(slapaddBin, ['-q', '-f', conf, '-l', path.join(dir, 'entries.ldif')], {
    encoding: 'utf8',
    timeout: startTimeoutMs,
  });
  if (load.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`slapadd failed (${load.error?.message ?? `exit ${load.status}`}): ${load.stderr}`);
  }
  const port = await freePort();
  const tlsPort = tls ? await freePort() : null;
  const url = `ldap://127.0.0.1:${port}`;
  const ldapsUrl = tlsPort ? `ldaps://127.0.0.1:${tlsPort}` : null;
  const listen = [url, ldapsUrl].filter(Boolean).map((u) => `${u}/`);
  // -d 0 keeps slapd in the foreground (no fork), so the child is the server and killing it stops it.
  const child = spawn(slapdBin, ['-f', conf, '-h', listen.join(' '), '-d', '0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // If the test process exits without teardown, do not leave a server behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.off('exit', killOnExit);
    await terminate(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const p of [port, tlsPort]) if (p) await waitForPort(child, p);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    suffix,
    adminDn,
    adminPassword,
    readerDn,
    readerPassword,
    limitedDn,
    peopleDn,
    ldapsUrl,
    caFile: tls ? path.join(dir, 'cert.pem') : null,
    stop,
  };
}

async function waitForPort(child: ChildProcess, port: number): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const deadline = Date.now() + startTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`slapd exited (${child.exitCode ?? child.signalCode}) before listening: ${stderr}`);
    if (await accepts(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`slapd did not listen on 127.0.0.1:${port} within ${startTimeoutMs / 1000} s: ${stderr}`);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** SIGTERM, then SIGKILL after 3 s; resolves when the process is gone. */
function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
