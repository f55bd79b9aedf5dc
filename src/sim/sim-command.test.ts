import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnTocsin } from '../../test/support/cli.js';
import { freePort } from '../../test/support/ports.js';

describe('tocsin sim', () => {
  it('starts on the given ports, prints the URLs and the environment for Tocsin, and stops on SIGTERM', async () => {
    const [port, smtpPort] = [await freePort(), await freePort()];
    const dir = mkdtempSync(path.join(tmpdir(), 'tocsin-sim-'));
    const faultsFile = path.join(dir, 'faults.json');
    writeFileSync(faultsFile, JSON.stringify({ x: { ratePerSecond: 2 } }));
    const sim = spawnTocsin(
      [
        'sim',
        '--port',
        String(port),
        '--smtp-port',
        String(smtpPort),
        '--senders',
        '+16175550100,+18335550100=3',
        '--error-rate',
        '1',
        '--faults',
        faultsFile,
      ],
      {},
    );
    try {
      await sim.waitFor(/Press Ctrl-C to stop/, 20_000);
      const out = sim.output();
      expect(out).toContain(`Twilio API:      http://127.0.0.1:${port}`);
      expect(out).toContain(`export TOCSIN_SMTP_PORT=${smtpPort}`);
      expect(out).toContain('+18335550100 (3 segments/s)');
      const faults = (await (await fetch(`http://127.0.0.1:${port}/control/faults`)).json()) as {
        faults: { all: { errorRate: number }; x: { ratePerSecond: number } };
        rateLimits: { senderRates: Record<string, number> };
      };
      expect(faults.faults.all.errorRate).toBe(1);
      expect(faults.faults.x.ratePerSecond).toBe(2);
      expect(faults.rateLimits.senderRates).toEqual({ '+18335550100': 3 });
    } finally {
      sim.child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
    expect(await sim.exited()).toBe(0);
  });

  it('refuses a malformed option with a message that says what is expected', async () => {
    const sim = spawnTocsin(['sim', '--port', '0', '--outage', 'pager:1:2'], {});
    expect(await sim.exited()).toBe(1);
    expect(sim.output()).toMatch(/expected channel:startSeconds:durationSeconds/);
  });
});
