import { describe, expect, it } from 'vitest';
import type { AlertContent } from './alert-content.js';
import { makeAlertContent } from './alert-content.factory.js';
import { capIdentifier, capMsgType, capStatus, renderCap, renderCapDocument } from './cap.js';
import { formatCapTime } from './time.js';
import { capSchemaPath, xmllint } from './xmllint.testing.js';

const references = [
  {
    identifier: 'emergency.mit.edu.5f0c9a52-6d1b-4c7e-9a43-2b8e1f7d3c10.0',
    sentAt: new Date('2026-11-21T15:00:00Z'),
  },
  {
    identifier: 'emergency.mit.edu.5f0c9a52-6d1b-4c7e-9a43-2b8e1f7d3c10.1',
    sentAt: new Date('2026-11-21T15:20:00Z'),
  },
];
const polygonArea = {
  description: 'Building 10 & Killian Court <east>',
  polygon: [
    [42.3597, -71.0921],
    [42.3603, -71.0915],
    [42.359, -71.091],
  ] as Array<[number, number]>,
  geocodes: [{ name: 'SAME', value: '025017' }],
};
const spanish = (overrides: Partial<AlertContent> = {}) =>
  makeAlertContent({
    language: 'es',
    what: 'Fuga de gas natural',
    where: 'Edificio 10',
    actions: 'Evite la zona.',
    ...overrides,
  });

const validate = (xml: string) => xmllint(xml, capSchemaPath);
const elements = (xml: string, name: string) =>
  [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'gu'))].map((match) => match[1]);

describe('CAP 1.2 rendering', () => {
  const variants: Array<[string, Partial<AlertContent>]> = [
    ['an emergency alert', {}],
    ['an operations alert with expiry', { kind: 'operations', expiresAt: new Date('2026-11-21T20:00:00Z') }],
    ['a test', { kind: 'test' }],
    ['an exercise update', { kind: 'exercise', messageType: 'update', sequence: 1, references }],
    ['an all-clear', { messageType: 'all_clear', sequence: 2, references }],
    ['a cancellation', { messageType: 'cancel', sequence: 1, references: references.slice(0, 1) }],
    ['a polygon and geocode area', { areas: [polygonArea, { description: 'Cambridge' }] }],
    [
      'no areas and no links',
      { areas: [], links: {}, institution: { ...makeAlertContent().institution, url: undefined } },
    ],
    [
      'text with markup, quotes and emoji',
      { what: '<b>"Gas" & \'smoke\'</b> 🚨', actions: 'Leave now.\nUse stairs.' },
    ],
    [
      'invalid hazard values',
      {
        hazard: {
          ...makeAlertContent().hazard,
          cap: {
            category: 'Chemical',
            event: '',
            urgency: 'Now',
            severity: 'High',
            certainty: 'Sure',
            responseType: 'Run',
          },
        },
      },
    ],
    ['a summer alert', { sentAt: new Date('2026-07-04T16:30:00Z') }],
  ];

  it.each(variants)('writes %s that validates against the OASIS schema', (_name, overrides) => {
    const content = makeAlertContent(overrides);
    const result = validate(renderCap(content, [content, spanish(overrides)]));
    expect(result.stderr).toContain('validates');
    expect(result.status).toBe(0);
  });

  it('fails schema validation for a broken document, so the validation above can fail', () => {
    const broken = renderCap(makeAlertContent(), []).replace(
      '<status>Actual</status>',
      '<status>Maybe</status>',
    );
    expect(validate(broken).status).toBe(3);
    const zulu = renderCap(makeAlertContent(), []).replace('-05:00</sent>', 'Z</sent>');
    expect(validate(zulu).status).toBe(3);
  });

  it('writes the header: identifier, sender, sent with offset, status, type, scope', () => {
    const xml = renderCap(makeAlertContent(), []);
    expect(xml).toContain(
      '<identifier>emergency.mit.edu.5f0c9a52-6d1b-4c7e-9a43-2b8e1f7d3c10.0</identifier>',
    );
    expect(xml).toContain('<sender>emergency.mit.edu</sender>');
    expect(xml).toContain('<sent>2026-11-21T10:00:00-05:00</sent>');
    expect(xml).toContain('<status>Actual</status>\n  <msgType>Alert</msgType>\n  <scope>Public</scope>');
    expect(xml).not.toContain('<references>');
  });

  it.each([
    ['emergency', 'Actual'],
    ['operations', 'Actual'],
    ['test', 'Test'],
    ['exercise', 'Exercise'],
  ] as const)('a %s has status %s', (kind, status) => {
    expect(capStatus(kind)).toBe(status);
    expect(renderCap(makeAlertContent({ kind }), [])).toContain(`<status>${status}</status>`);
  });

  it.each([
    ['alert', 'Alert'],
    ['update', 'Update'],
    ['all_clear', 'Update'],
    ['cancel', 'Cancel'],
  ] as const)('a %s has msgType %s', (messageType, msgType) => {
    expect(capMsgType(messageType)).toBe(msgType);
  });

  it('references earlier messages as sender,identifier,sent triples', () => {
    const xml = renderCap(makeAlertContent({ messageType: 'update', sequence: 2, references }), []);
    expect(elements(xml, 'references')).toEqual([
      'emergency.mit.edu,emergency.mit.edu.5f0c9a52-6d1b-4c7e-9a43-2b8e1f7d3c10.0,2026-11-21T10:00:00-05:00 ' +
        'emergency.mit.edu,emergency.mit.edu.5f0c9a52-6d1b-4c7e-9a43-2b8e1f7d3c10.1,2026-11-21T10:20:00-05:00',
    ]);
    expect(xml).toContain(
      '<identifier>emergency.mit.edu.5f0c9a52-6d1b-4c7e-9a43-2b8e1f7d3c10.2</identifier>',
    );
  });

  it('warns when an update references nothing', () => {
    expect(
      renderCapDocument(makeAlertContent({ messageType: 'update', sequence: 1 }), []).warnings,
    ).toContain('An update, all-clear or cancellation should reference the earlier messages of the alert.');
  });

  it('keeps spaces, commas, < and & out of identifier and sender', () => {
    expect(capIdentifier('emergency mit,edu', 'a<b&c', 3)).toBe('emergency-mit-edu.a-b-c.3');
    const institution = { ...makeAlertContent().institution, senderId: 'emergency mit.edu' };
    const document = renderCapDocument(makeAlertContent({ institution }), []);
    expect(document.xml).toContain('<sender>emergency-mit.edu</sender>');
    expect(document.warnings).toContain(
      'The CAP sender “emergency mit.edu” was written as “emergency-mit.edu”.',
    );
  });

  it.each([
    ['all_clear', 'AllClear', 'Past', 'Minor', 'Observed'],
    ['cancel', 'None', 'Past', 'Minor', 'Observed'],
    ['update', 'Avoid', 'Immediate', 'Severe', 'Observed'],
  ] as const)('a %s has responseType %s, urgency %s, severity %s, certainty %s', (messageType, ...values) => {
    const xml = renderCap(makeAlertContent({ messageType, sequence: 1, references }), []);
    const actual = ['responseType', 'urgency', 'severity', 'certainty'].map((name) => elements(xml, name)[0]);
    expect(actual).toEqual(values);
  });

  it('replaces values the schema does not allow and says so', () => {
    const hazard = {
      ...makeAlertContent().hazard,
      cap: { ...makeAlertContent().hazard.cap, category: 'Chemical', urgency: 'Now' },
    };
    const document = renderCapDocument(makeAlertContent({ hazard }), []);
    expect(elements(document.xml, 'category')).toEqual(['Other']);
    expect(elements(document.xml, 'urgency')).toEqual(['Unknown']);
    expect(document.warnings).toContain('CAP category “Chemical” is not a CAP 1.2 value: Other was used.');
  });

  it('writes one info per language, the message language first and once', () => {
    const content = makeAlertContent();
    const xml = renderCap(content, [spanish(), content]);
    expect(elements(xml, 'language')).toEqual(['en', 'es']);
    expect(elements(xml, 'headline')).toEqual([
      'MIT Alert: Natural gas leak reported',
      'MIT Alert: Fuga de gas natural',
    ]);
    expect(elements(xml, 'instruction')).toEqual([
      'Avoid the area. Follow the instructions of MIT Police.',
      'Evite la zona.',
    ]);
  });

  it('marks tests and exercises in the headline, description and note, in each language', () => {
    const xml = renderCap(makeAlertContent({ kind: 'exercise' }), [spanish({ kind: 'exercise' })]);
    expect(elements(xml, 'headline')).toEqual([
      'MIT Alert: EXERCISE - Natural gas leak reported',
      'MIT Alert: SIMULACRO - Fuga de gas natural',
    ]);
    expect(elements(xml, 'note')).toEqual(['This is an exercise. This is only an exercise.']);
    expect(xml).toContain('<description>Esto es un simulacro. Solo es un simulacro.\nFuga de gas natural.');
  });

  it('heads a Cancel with what it cancels, never the alert’s words as if current, and stays valid', () => {
    const cancel = (overrides: Partial<AlertContent>) =>
      makeAlertContent({
        messageType: 'cancel',
        sequence: 1,
        references: references.slice(0, 1),
        what: 'Evacuate now',
        actions: '',
        hazard: {
          ...makeAlertContent().hazard,
          cap: { ...makeAlertContent().hazard.cap, event: 'Evacuation' },
        },
        ...overrides,
      });
    const xml = renderCap(cancel({}), [cancel({ language: 'es', what: 'Evacúe ahora' })]);
    expect(validate(xml).status).toBe(0);
    expect(elements(xml, 'headline')).toEqual([
      'MIT Alert: Cancelled: Evacuation',
      'MIT Alert: Cancelada: Evacuation',
    ]);
    expect(xml).not.toContain('Evacuate now');
    expect(elements(xml, 'description')[0]).toMatch(
      /^This alert has been cancelled and no longer applies\./u,
    );
    const drill = renderCap(cancel({ kind: 'test' }), []);
    expect(elements(drill, 'headline')).toEqual(['MIT Alert: TEST - Cancelled: Evacuation']);
  });

  it('heads an all-clear with its own words, a drill’s without ALL CLEAR', () => {
    const allClear = { messageType: 'all_clear', sequence: 2, references } as const;
    const real = renderCap(makeAlertContent({ ...allClear, what: 'The emergency is over.' }), []);
    expect(elements(real, 'headline')).toEqual(['MIT Alert: ALL CLEAR - The emergency is over.']);
    const test = renderCap(makeAlertContent({ ...allClear, kind: 'test', what: 'The test is over.' }), []);
    expect(elements(test, 'headline')).toEqual(['MIT Alert: TEST - The test is over.']);
    expect(validate(test).status).toBe(0);
  });

  it('keeps the headline within 160 characters', () => {
    const xml = renderCap(
      makeAlertContent({ what: 'Police activity near the Stata Center. '.repeat(10) }),
      [],
    );
    const [headline] = elements(xml, 'headline');
    expect(Array.from(headline ?? '').length).toBeLessThanOrEqual(160);
    expect(headline?.endsWith('…')).toBe(true);
  });

  it('writes the area with a closed polygon ring and its geocodes', () => {
    const xml = renderCap(makeAlertContent({ areas: [polygonArea] }), []);
    expect(xml).toContain('<areaDesc>Building 10 &amp; Killian Court &lt;east&gt;</areaDesc>');
    expect(elements(xml, 'polygon')).toEqual([
      '42.3597,-71.0921 42.3603,-71.0915 42.359,-71.091 42.3597,-71.0921',
    ]);
    expect(xml).toContain('<geocode><valueName>SAME</valueName><value>025017</value></geocode>');
  });

  it('keeps a ring that is already closed as it is', () => {
    const ring: Array<[number, number]> = [
      [1, 1],
      [1, 2],
      [2, 2],
      [1, 1],
    ];
    const xml = renderCap(makeAlertContent({ areas: [{ description: 'Square', polygon: ring }] }), []);
    expect(elements(xml, 'polygon')).toEqual(['1,1 1,2 2,2 1,1']);
  });

  it.each([
    [
      'two points',
      [
        [1, 1],
        [1, 2],
      ],
    ],
    [
      'a latitude out of range',
      [
        [91, 1],
        [1, 2],
        [2, 2],
      ],
    ],
  ] as Array<[string, Array<[number, number]>]>)(
    'leaves out a polygon with %s, with a warning',
    (_name, polygon) => {
      const document = renderCapDocument(makeAlertContent({ areas: [{ description: 'Bad', polygon }] }), []);
      expect(document.xml).not.toContain('<polygon>');
      expect(document.warnings[0]).toMatch(/polygon/u);
      expect(validate(document.xml).status).toBe(0);
    },
  );

  it('writes expires in the institution zone and the page as web', () => {
    const xml = renderCap(makeAlertContent({ expiresAt: new Date('2026-11-21T19:00:00Z') }), []);
    expect(elements(xml, 'expires')).toEqual(['2026-11-21T14:00:00-05:00']);
    expect(elements(xml, 'web')).toEqual(['https://emergency.mit.net/alerts/5f0c9a52']);
    expect(elements(xml, 'contact')).toEqual([
      'Massachusetts Institute of Technology, https://emergency.mit.net/',
    ]);
  });
});

describe('CAP times', () => {
  it.each([
    ['2026-11-21T15:00:00Z', 'America/New_York', '2026-11-21T10:00:00-05:00'],
    ['2026-07-04T16:30:00.750Z', 'America/New_York', '2026-07-04T12:30:00-04:00'],
    ['2026-03-08T07:30:00Z', 'America/New_York', '2026-03-08T03:30:00-04:00'],
    ['2026-11-21T15:00:00Z', 'UTC', '2026-11-21T15:00:00-00:00'],
    ['2026-11-21T15:00:00Z', 'Asia/Kolkata', '2026-11-21T20:30:00+05:30'],
    ['2026-11-21T15:00:00Z', 'America/St_Johns', '2026-11-21T11:30:00-03:30'],
    ['2026-12-31T23:59:59Z', 'Pacific/Kiritimati', '2027-01-01T13:59:59+14:00'],
  ])('%s in %s is %s', (instant, zone, expected) => {
    expect(formatCapTime(new Date(instant), zone)).toBe(expected);
  });
});
