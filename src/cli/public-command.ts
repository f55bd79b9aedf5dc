import type { Command } from 'commander';
import { exportPublicSite } from '../public/export-public-site.js';
import { withSystem } from './cli-support.js';

/** public export: the whole public site as static files. */
export function registerPublicCommands(program: Command): void {
  const command = program.command('public').description('The public emergency page, feeds and signage view');
  command
    .command('export <dir>')
    .description(
      'Write the whole public site (pages, archive, feeds, CAP documents, JSON, signage view) to <dir> as static files for any web server, object store or a browser from disk; run it after every change, or set TOCSIN_PUBLIC_MIRROR_DIR and the workers do',
    )
    .option(
      '--site-url <url>',
      'where the copy will be served, for the feeds’ absolute links (default TOCSIN_PUBLIC_SITE_URL)',
    )
    .action((dir: string, opts: { siteUrl?: string }) =>
      withSystem(async ({ ctx }) => {
        const result = await exportPublicSite(ctx, dir, opts.siteUrl ? { siteUrl: opts.siteUrl } : {});
        process.stdout.write(
          `Wrote ${result.written} of ${result.files} files (${(result.bytes / 1024).toFixed(0)} KB in all) to ${result.dir}; removed ${result.removed} stale; ${result.ms} ms.\n`,
        );
      }),
    );
}
