import type { AlertContent } from './alert-content.js';

/** An MIT alert message for tests: a gas leak at Building 10, sent 2026-11-21 10:00 Cambridge time. */
export function makeAlertContent(overrides: Partial<AlertContent> = {}): AlertContent {
  return {
    id: '5f0c9a52-6d1b-4c7e-9a43-2b8e1f7d3c10',
    sequence: 0,
    messageType: 'alert',
    kind: 'emergency',
    hazard: {
      code: 'gas_leak',
      title: 'Gas leak',
      cap: {
        category: 'Safety',
        event: 'Gas leak',
        urgency: 'Immediate',
        severity: 'Severe',
        certainty: 'Observed',
        responseType: 'Avoid',
      },
    },
    language: 'en',
    what: 'Natural gas leak reported',
    where: 'Building 10, Killian Court side',
    actions: 'Avoid the area. Follow the instructions of MIT Police.',
    sentAt: new Date('2026-11-21T15:00:00Z'),
    institution: {
      name: 'Massachusetts Institute of Technology',
      shortName: 'MIT',
      prefix: 'MIT Alert:',
      timezone: 'America/New_York',
      url: 'https://emergency.mit.net',
      senderId: 'emergency.mit.edu',
    },
    areas: [{ description: 'MIT Cambridge campus, Building 10' }],
    links: {
      page: 'https://emergency.mit.net/alerts/5f0c9a52',
      acknowledge: 'https://tocsin.mit.edu/a/5f0c9a52/ack',
      unsubscribe: 'https://tocsin.mit.edu/unsubscribe/abc123',
    },
    ...overrides,
  };
}
