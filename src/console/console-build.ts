import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import path from 'node:path';
import type { Logger } from 'pino';
import { packageRoot } from '../platform/config.js';

/** The operator console's sources (a Vite + React application) and where its build goes. */
const webRoot = path.join(packageRoot, 'web');
export const consoleDist = path.join(webRoot, 'dist');
const stampName = '.source-hash';

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (entry.name === 'dist' || entry.name.startsWith('.dist-') || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(full);
    else yield full;
  }
}

/**
 * A hash of every console source file, the installed dependency versions and this file (how the
 * build is made): the build is current when its stamp matches.
 */
function consoleSourceHash(): string {
  const hash = createHash('sha256');
  const inputs = [...sourceFiles(webRoot), path.join(packageRoot, 'package-lock.json'), import.meta.filename];
  for (const file of inputs) {
    hash.update(path.relative(packageRoot, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

/** Whether web/dist holds a build of the current sources. */
export function consoleBuildIsCurrent(sourceHash = consoleSourceHash()): boolean {
  const stamp = path.join(consoleDist, stampName);
  return existsSync(stamp) && readFileSync(stamp, 'utf8') === sourceHash;
}

export interface ConsoleBuildResult {
  /** This call ran Vite (the earlier build was missing or stale). */
  built: boolean;
  /** Why the build failed; the console then answers 503 pointing at the plain send form. */
  error: string | null;
}

/**
 * Build the console with Vite when web/dist is missing or older than its sources (about a second).
 * It builds into a directory of its own and swaps it in, so a process serving the old build never
 * sees a half-written one, and two processes building at once both end with a whole build.
 */
export async function ensureConsoleBuilt(log: Logger): Promise<ConsoleBuildResult> {
  const sourceHash = consoleSourceHash();
  if (consoleBuildIsCurrent(sourceHash)) return { built: false, error: null };
  const staging = path.join(webRoot, `.dist-${process.pid}-${Date.now()}`);
  const started = Date.now();
  try {
    const { build } = await import('vite');
    await buildInProduction(() =>
      build({
        configFile: path.join(webRoot, 'vite.config.ts'),
        logLevel: 'warn',
        mode: 'production',
        build: { outDir: staging, emptyOutDir: true },
      }),
    );
    compressAssets(path.join(staging, 'assets'));
    writeFileSync(path.join(staging, stampName), sourceHash);
    swapIn(staging);
    log.info({ ms: Date.now() - started }, 'operator console built');
    return { built: true, error: null };
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    const message = error instanceof Error ? error.message : String(error);
    log.error(
      { err: error },
      'the operator console could not be built; the plain send form at /send still works',
    );
    return { built: false, error: message };
  }
}

/**
 * Vite and the React plugin choose React's development build whenever NODE_ENV is set to anything
 * but "production" (vitest sets "test"): twice the size, with development-only checks. The build
 * runs with NODE_ENV=production and puts the old value back.
 */
async function buildInProduction<T>(run: () => Promise<T>): Promise<T> {
  // eslint-disable-next-line no-restricted-properties -- the build tool reads it; this is not configuration
  const env = process.env;
  const before = env.NODE_ENV;
  env.NODE_ENV = 'production';
  try {
    return await run();
  } finally {
    if (before === undefined) delete env.NODE_ENV;
    else env.NODE_ENV = before;
  }
}

/**
 * Brotli and gzip copies beside each script and style sheet, served in their place to browsers
 * that accept them (@fastify/static's preCompressed): the console's script is a third of a
 * megabyte, about a tenth of that compressed, which matters on a phone over a crowded network.
 */
function compressAssets(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (!/\.(js|css|svg|html)$/.test(name)) continue;
    const file = path.join(dir, name);
    const content = readFileSync(file);
    writeFileSync(
      `${file}.br`,
      brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    );
    writeFileSync(`${file}.gz`, gzipSync(content, { level: 9 }));
  }
}

function swapIn(staging: string): void {
  rmSync(consoleDist, { recursive: true, force: true });
  try {
    renameSync(staging, consoleDist);
  } catch {
    // Another process swapped its build of the same sources in first.
    rmSync(staging, { recursive: true, force: true });
  }
}
