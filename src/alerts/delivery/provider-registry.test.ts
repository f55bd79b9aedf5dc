import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../../test/support/system.js';
import { loadConfig } from '../../platform/config.js';
import { startSimulator, type Simulator } from '../../sim/simulator.js';
import { providerRegistry } from './provider-registry.js';
import { deliveryChannels } from './provider.js';

let sim: Simulator;
let sys: TestSystem;

beforeAll(async () => {
  sim = await startSimulator();
  sys = await startTestSystem({ serve: false, work: false });
}, 60_000);
afterAll(async () => {
  await sim?.stop();
  await sys?.close();
});

describe('provider registry', () => {
  it('puts every channel on the outbox when no provider is configured, but the public page, which Tocsin publishes itself', () => {
    const registry = providerRegistry(sys.ctx);
    for (const channel of deliveryChannels)
      expect(registry.providersFor(channel).map((p) => p.name)).toEqual(
        channel === 'public_page'
          ? ['public-site']
          : // Office phones: paging deliveries of a server no longer in the profile fail at once.
            channel === 'office_phones'
            ? ['paging-unconfigured', 'outbox']
            : ['outbox'],
      );
  });

  it('builds the configured providers, per channel in failover order, the rest on the outbox', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'tocsin-registry-')), 'providers.yaml');
    writeFileSync(
      file,
      `providers:
  - type: twilio
    name: sms-backup
    channels: [sms]
    baseUrl: ${sim.urls.twilio}
    accountSid: ${sim.settings.accountSid}
    authToken: ${sim.settings.authToken}
    senders: ["+16175550100=1"]
`,
    );
    const config = loadConfig({ ...sim.environment, TOCSIN_PROVIDERS_FILE: file });
    const registry = providerRegistry({ ...sys.ctx, config });
    const names = Object.fromEntries(
      deliveryChannels.map((c) => [c, registry.providersFor(c).map((p) => p.name)]),
    );
    expect(names).toEqual({
      sms: ['twilio', 'sms-backup'],
      voice: ['twilio'],
      email: ['smtp'],
      // Called through the voice providers; paging servers (none configured here) first.
      office_phones: ['paging-unconfigured', 'twilio'],
      public_page: ['public-site'],
      signage: ['webhook'],
      desktop: ['webhook'],
      x: ['x'],
      facebook: ['facebook'],
      cap: ['cap'],
      webhook: ['webhook'],
    });
    await registry.close();
  });
});
