import { describe, expect, it } from 'vitest';
import type { CapAlert, CapCategory, CapInfo } from './cap-alert.js';
import {
  clip,
  relayDefaults,
  relayHazard,
  relayKind,
  type CatalogueHazard,
} from './relay-defaults.policy.js';

const all = ['emergency', 'operations', 'test', 'exercise'] as const;
const urgent = ['emergency', 'test', 'exercise'] as const;
const catalogue: CatalogueHazard[] = [
  { code: 'active_threat', kinds: urgent },
  { code: 'shelter_in_place', kinds: urgent },
  { code: 'evacuate', kinds: urgent },
  { code: 'fire', kinds: urgent },
  { code: 'hazardous_materials', kinds: urgent },
  { code: 'severe_weather', kinds: all },
  { code: 'utility_outage', kinds: ['operations', 'test', 'exercise'] },
  { code: 'campus_closure', kinds: ['operations', 'test', 'exercise'] },
  { code: 'public_health', kinds: all },
  { code: 'all_clear', kinds: all },
  { code: 'test', kinds: ['test', 'exercise'] },
];

const info = (over: Partial<CapInfo> = {}): CapInfo => ({
  language: 'en-US',
  categories: ['Met'],
  event: 'Tornado Warning',
  responseTypes: [],
  urgency: 'Immediate',
  severity: 'Extreme',
  certainty: 'Observed',
  eventCodes: [],
  parameters: [],
  resources: [],
  areas: [],
  ...over,
});
const alert = (over: Partial<CapAlert> = {}, infos = [info()]): CapAlert => ({
  identifier: 'A1',
  sender: 'nws@example.gov',
  sent: '2026-11-21T14:30:00-05:00',
  status: 'Actual',
  msgType: 'Alert',
  scope: 'Public',
  codes: [],
  referencesList: [],
  infos,
  ...over,
});

describe('the kind a relayed CAP message defaults to', () => {
  it.each([
    ['Actual', 'Extreme', 'Immediate', 'emergency'],
    ['Actual', 'Severe', 'Expected', 'emergency'],
    ['Actual', 'Severe', 'Future', 'operations'],
    ['Actual', 'Moderate', 'Immediate', 'operations'],
    ['Actual', 'Unknown', 'Unknown', 'operations'],
    ['Test', 'Extreme', 'Immediate', 'test'],
    ['Exercise', 'Extreme', 'Immediate', 'exercise'],
    ['System', 'Minor', 'Past', null],
    ['Draft', 'Extreme', 'Immediate', null],
  ] as const)('%s, %s, %s → %s', (status, severity, urgency, kind) => {
    const i = info({ severity, urgency });
    expect(relayKind(alert({ status }, [i]), i)).toBe(kind);
  });
});

describe('the template (hazard) a relayed CAP message defaults to', () => {
  it.each([
    [['Met'], 'Tornado Warning', 'emergency', 'severe_weather'],
    [['Fire'], 'Fire Warning', 'emergency', 'fire'],
    [['CBRNE'], 'Chemical release', 'emergency', 'hazardous_materials'],
    [['Health'], 'Public Health Advisory', 'operations', 'public_health'],
    [['Infra'], 'Power outage', 'operations', 'utility_outage'],
    [['Safety'], 'Evacuation Immediate', 'emergency', 'evacuate'],
    [['Safety'], 'Shelter In Place Warning', 'emergency', 'shelter_in_place'],
    [['Security'], 'Active shooter on campus', 'emergency', 'active_threat'],
    [['Security'], 'Law Enforcement Warning', 'emergency', 'shelter_in_place'],
    [['Geo'], 'Earthquake Warning', 'emergency', 'shelter_in_place'],
    [['Geo'], 'Earthquake Warning', 'operations', 'campus_closure'],
    [['Fire'], 'Fire Weather Watch', 'operations', 'campus_closure'],
    [['Met'], 'Tornado Warning', 'test', 'severe_weather'],
    [['Other'], 'Required Monthly Test', 'test', 'test'],
  ] as const)('%j %s as %s → %s', (categories, event, kind, hazard) => {
    expect(relayHazard(info({ categories: [...categories] as CapCategory[], event }), kind, catalogue)).toBe(
      hazard,
    );
  });

  it('falls back to any hazard of the kind but active threat and all clear, else none', () => {
    const small: CatalogueHazard[] = [
      { code: 'active_threat', kinds: urgent },
      { code: 'all_clear', kinds: all },
      { code: 'flood', kinds: ['emergency'] },
    ];
    expect(relayHazard(info({ categories: ['Geo'], event: 'Tsunami' }), 'emergency', small)).toBe('flood');
    expect(relayHazard(info(), 'operations', small)).toBeNull();
  });
});

describe('the words a relayed CAP message defaults to', () => {
  it('takes the headline, every area once, and the instruction, in the primary language', () => {
    const es = info({ language: 'es-US', headline: 'Aviso de tornado' });
    const en = info({
      headline: 'Tornado Warning until 3:15 PM',
      instruction: 'TAKE COVER\n  NOW!',
      areas: ['Middlesex, MA', 'Suffolk, MA', 'Middlesex, MA'].map((areaDesc) => ({
        areaDesc,
        polygons: [],
        circles: [],
        geocodes: [],
      })),
    });
    const d = relayDefaults(alert({}, [es, en]), catalogue, 'en');
    expect(d).toMatchObject({
      kind: 'emergency',
      hazard: 'severe_weather',
      what: 'Tornado Warning until 3:15 PM',
      where: 'Middlesex, MA; Suffolk, MA',
      actions: 'TAKE COVER NOW!',
    });
    expect(d.audienceReason).toContain('nws@example.gov A1');
  });

  it('uses the event without a headline and cuts long text with an ellipsis', () => {
    const d = relayDefaults(alert({}, [info({ instruction: 'x'.repeat(500) })]), catalogue, 'en');
    expect(d.what).toBe('Tornado Warning');
    expect(d.actions).toHaveLength(400);
    expect(d.actions!.endsWith('…')).toBe(true);
    expect(clip('  ', 10)).toBeUndefined();
  });
});
