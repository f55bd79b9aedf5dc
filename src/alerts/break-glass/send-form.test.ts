import { describe, expect, it } from 'vitest';
import type { Permission } from '../../identity/permissions.js';
import type { Principal } from '../../identity/principal.js';
import { sendableKinds } from '../send-options.js';
import { loadConfig } from '../../platform/config.js';
import { loadProfile } from '../../app/profile.js';
import { AppError } from '../../platform/errors.js';
import { channelState, audienceWords } from './alert-page.view.js';
import { mapCloseForm, mapFollowUpForm, readFollowUpForm } from './follow-up-form.js';
import { localInputValue, parseLocalTime } from './local-time.js';
import {
  mapSendForm,
  problemsFromSendError,
  readSendForm,
  sendFormDefaults,
  splitCodes,
  type SendFormValues,
} from './send-form.js';

const profile = loadProfile(loadConfig({}).profilePath);
const zone = profile.institution.timezone;
const now = new Date('2026-03-14T14:00:00Z'); // 10:00 in Cambridge (EDT)
const templates = [
  { id: 't-shelter', name: 'Shelter in place', what: 'Police activity.', actions: 'Go indoors now.' },
  { id: 't-test', name: 'Test' },
];
const context = { profile, templates, kinds: ['emergency', 'operations', 'test', 'exercise'] as const, now };

/** A complete test alert to W20, as the form posts it. */
const filled = (over: Partial<SendFormValues> = {}): SendFormValues => ({
  ...readSendForm({}),
  templateId: 't-shelter',
  kind: 'test',
  where: 'Building W20',
  audience: 'locations',
  locationCodes: 'W20',
  channels: ['sms', 'email'],
  confirmedBy: 'Officer Diaz',
  confirmedAt: '2026-03-14T09:55',
  ...over,
});

describe('mapping the plain form to sendAlert’s options', () => {
  it.each<[string, Partial<SendFormValues>, Record<string, unknown>]>([
    [
      'a test to one building',
      {},
      { kind: 'test', audience: { locationCodes: ['W20'] }, channels: ['sms', 'email'] },
    ],
    [
      'codes split on commas, spaces and semicolons, upper-cased once each',
      { locationCodes: ' w20, N52;n52  E17 ' },
      { audience: { locationCodes: ['W20', 'N52', 'E17'] } },
    ],
    [
      'everyone, whatever codes were typed',
      { audience: 'everyone', locationCodes: 'W20' },
      { audience: { everyone: true } },
    ],
    [
      'affiliations',
      { audience: 'affiliations', affiliations: ['student', 'employee', 'student'] },
      { audience: { affiliations: ['student', 'employee'] } },
    ],
    ['codes typed without choosing the audience', { audience: '' }, { audience: { locationCodes: ['W20'] } }],
    [
      'affiliations ticked without choosing the audience',
      { audience: '', locationCodes: '', affiliations: ['extended'] },
      { audience: { affiliations: ['extended'] } },
    ],
    [
      'empty what and actions: the template’s',
      { what: '  ', actions: '' },
      { what: undefined, actions: undefined },
    ],
    [
      'what and actions given, trimmed',
      { what: ' Smoke seen. ', actions: 'Leave now.' },
      { what: 'Smoke seen.', actions: 'Leave now.' },
    ],
    ['no words replaced: every language the template’s', {}, { translations: undefined }],
    [
      'English words replaced and no Spanish: the Spanish says the details are in English, with them',
      { what: 'Smoke seen.' },
      {
        translations: {
          es: {
            what: `${profile.alerts.detailsInPrimaryLanguage.es} Smoke seen.`,
            where: 'Building W20',
            actions: 'Go indoors now.',
          },
        },
      },
    ],
    [
      'Spanish words typed, trimmed, the empty ones left to the template',
      { what: 'Smoke seen.', translations: { es: { what: ' Se ve humo. ', where: '', actions: 'Salga.' } } },
      { translations: { es: { what: 'Se ve humo.', actions: 'Salga.' } } },
    ],
    [
      'the audience reason by default',
      {},
      { audienceReason: 'Chosen on the plain send form: buildings and zones W20.' },
    ],
    [
      'the audience reason typed',
      { audienceReason: 'Nearest buildings' },
      { audienceReason: 'Nearest buildings' },
    ],
    ['channels in the profile’s order', { channels: ['email', 'sms'] }, { channels: ['sms', 'email'] }],
    [
      'the confirmation time in the institution’s zone',
      {},
      {
        record: expect.objectContaining({
          confirmedAt: new Date('2026-03-14T13:55:00Z'),
          confirmedBy: 'Officer Diaz',
        }),
      },
    ],
    ['no confirmation time', { confirmedAt: '' }, { record: expect.objectContaining({ confirmedAt: null }) }],
    [
      'an emergency with its record, in time',
      { kind: 'emergency', confirmationSource: 'Officer on scene' },
      {
        kind: 'emergency',
        record: expect.objectContaining({ confirmationSource: 'Officer on scene', delayReason: null }),
      },
    ],
    [
      'an emergency past the threshold with a reason and who decided',
      {
        kind: 'emergency',
        confirmationSource: 'Call',
        confirmedAt: '2026-03-14 09:30',
        delayReason: 'contain',
        delayDecidedBy: 'Chief',
      },
      { record: expect.objectContaining({ delayReason: 'contain', delayDecidedBy: 'Chief' }) },
    ],
  ])('maps %s', (_name, over, expected) => {
    const mapped = mapSendForm(filled(over), context);
    expect(mapped.problems).toEqual({});
    expect(mapped.options).toMatchObject(expected);
  });

  it.each<[string, Partial<SendFormValues>, Record<string, string | RegExp>]>([
    ['no template', { templateId: '' }, { templateId: 'Choose a template.' }],
    ['a template not offered', { templateId: 'nope' }, { templateId: /Choose one of the templates/ }],
    ['no kind', { kind: '' }, { kind: 'Choose what kind of alert this is.' }],
    ['a kind that does not exist', { kind: 'drill' }, { kind: 'Choose one of the kinds shown.' }],
    ['no where', { where: '   ' }, { where: /^Say where/ }],
    ['a where too long', { where: 'x'.repeat(201) }, { where: 'Keep this to 200 characters (it has 201).' }],
    ['a what too long', { what: 'x'.repeat(301) }, { what: 'Keep this to 300 characters (it has 301).' }],
    [
      'actions too long',
      { actions: 'x'.repeat(401) },
      { actions: 'Keep this to 400 characters (it has 401).' },
    ],
    ['no audience at all', { audience: '', locationCodes: '' }, { audience: /^Choose who gets the alert/ }],
    [
      'codes and affiliations without a choice',
      { audience: '', affiliations: ['student'] },
      { audience: /^Choose who gets the alert/ },
    ],
    ['an audience that is no choice', { audience: 'friends' }, { audience: /^Choose one of everyone/ }],
    ['buildings without codes', { locationCodes: ' ,; ' }, { locationCodes: /^Type one or more/ }],
    [
      'a code with markup',
      { locationCodes: 'W20 <x>' },
      { locationCodes: /^Not a building or zone code: <x>\./ },
    ],
    [
      'too many codes',
      { locationCodes: Array.from({ length: 201 }, (_, i) => `B${i}`).join(',') },
      { locationCodes: /^Type at most 200 codes/ },
    ],
    [
      'codes too long to read',
      { locationCodes: 'W20,'.repeat(600) },
      { locationCodes: /^Keep this to 2000 characters/ },
    ],
    ['affiliations, none ticked', { audience: 'affiliations' }, { affiliations: /^Tick one or more/ }],
    [
      'an affiliation that does not exist',
      { audience: 'affiliations', affiliations: ['alumni'] },
      { affiliations: /^Tick one or more/ },
    ],
    ['no channel', { channels: [] }, { channels: 'Tick at least one channel.' }],
    [
      'a channel the profile lacks',
      { channels: ['sms', 'fax'] },
      { channels: 'Tick only the channels shown (not fax).' },
    ],
    [
      'a time that is no time',
      { confirmedAt: 'this morning' },
      { confirmedAt: /^Write the date and the 24-hour time/ },
    ],
    [
      'a day that does not exist',
      { confirmedAt: '2026-02-29T10:00' },
      { confirmedAt: /^That day or time does not exist/ },
    ],
    [
      'an unknown delay reason',
      { delayReason: 'paperwork' },
      { delayReason: 'Choose one of the reasons in the list.' },
    ],
    [
      'an emergency without its record',
      { kind: 'emergency', confirmedBy: '', confirmedAt: '' },
      {
        confirmedBy: 'Say who confirmed the emergency.',
        confirmationSource: 'Say how it was confirmed (the source).',
        confirmedAt: 'Say when it was confirmed.',
      },
    ],
    [
      'an emergency confirmed in the future',
      { kind: 'emergency', confirmationSource: 'Call', confirmedAt: '2026-03-14 10:30' },
      { confirmedAt: 'The confirmation time is in the future.' },
    ],
    [
      'an emergency past the threshold without a reason',
      { kind: 'emergency', confirmationSource: 'Call', confirmedAt: '2026-03-14 09:40' },
      {
        delayReason: /^More than 15 minutes passed since confirmation/,
        delayDecidedBy: 'Say who decided to wait.',
      },
    ],
    ['a confirmed-by too long', { confirmedBy: 'x'.repeat(201) }, { confirmedBy: /^Keep this to 200/ }],
    [
      'a source too long',
      { confirmationSource: 'x'.repeat(501) },
      { confirmationSource: /^Keep this to 500/ },
    ],
    [
      'Spanish words too long',
      { translations: { es: { what: 'x'.repeat(301), where: '', actions: '' } } },
      { 'es-what': /^Keep this to 300/ },
    ],
    [
      'an audience reason too long',
      { audienceReason: 'x'.repeat(1001) },
      { audienceReason: /^Keep this to 1000/ },
    ],
  ])('refuses %s, at its field', (_name, over, expected) => {
    const mapped = mapSendForm(filled(over), context);
    expect(mapped.options).toBeNull();
    for (const [field, message] of Object.entries(expected))
      expect(mapped.problems[field as keyof typeof mapped.problems], field).toMatch(message);
  });

  it('reads each language’s words from their fields (es-what, es-where, es-actions)', () => {
    const values = readSendForm({
      'es-what': 'Humo',
      'es-actions': 'Salga.',
      what: 'Smoke',
      'es-other': 'x',
    });
    expect(values.translations).toEqual({ es: { what: 'Humo', where: '', actions: 'Salga.' } });
    expect(values.what).toBe('Smoke');
  });

  it('refuses a kind the operator may not send, though it exists', () => {
    const mapped = mapSendForm(filled({ kind: 'emergency' }), { ...context, kinds: ['test', 'exercise'] });
    expect(mapped.problems.kind).toBe('Your roles may not send emergency alerts.');
  });

  it('keeps the audience it could read when another field is wrong (to check its codes at once)', () => {
    const mapped = mapSendForm(filled({ where: '' }), context);
    expect(mapped.options).toBeNull();
    expect(mapped.audience).toEqual({ locationCodes: ['W20'] });
  });
});

describe('reading what a browser posts', () => {
  it.each<[string, unknown, Partial<SendFormValues>]>([
    ['nothing', undefined, { where: '', channels: [], affiliations: [] }],
    ['a single ticked box as a list', { channels: 'sms' }, { channels: ['sms'] }],
    ['ticked boxes', { channels: ['sms', 'email', ''] }, { channels: ['sms', 'email'] }],
    ['a repeated text field: the first', { where: ['a', 'b'] }, { where: 'a' }],
    [
      'a field of the wrong type',
      { where: { x: 1 }, channels: [1, 'sms'] },
      { where: '', channels: ['sms'] },
    ],
  ])('reads %s', (_name, body, expected) => {
    expect(readSendForm(body)).toMatchObject(expected);
  });

  it('opens with the operator as confirmer, now in the institution’s zone, every channel, no kind or template', () => {
    const values = sendFormDefaults(profile, 'Officer Diaz', now);
    expect(values).toMatchObject({
      confirmedBy: 'Officer Diaz',
      confirmedAt: '2026-03-14T10:00',
      kind: '',
      templateId: '',
    });
    expect(values.channels).toEqual(profile.alerts.channels);
  });

  it.each<[string, string, string[]]>([
    ['one code', 'W20', ['W20']],
    ['commas and spaces', 'W20, N52 ,E17', ['W20', 'N52', 'E17']],
    ['nothing', ' , ', []],
  ])('splits %s', (_name, typed, codes) => {
    expect(splitCodes(typed)).toEqual(codes);
  });
});

describe('the kinds the form offers (the console’s rule: permissions, and the profile’s send roles for operators)', () => {
  const all: Permission[] = ['alerts.send.emergency', 'alerts.send.operations', 'alerts.send.test'];
  const caller = (kind: 'session' | 'token', roles: string[], permissions: Permission[]) =>
    ({ kind, roles, permissions: new Set(permissions) }) as unknown as Principal;
  it.each<[string, Principal, string[]]>([
    [
      'a dispatcher: every kind',
      caller('session', ['police_dispatcher'], all),
      ['emergency', 'operations', 'test', 'exercise'],
    ],
    [
      'test permission only: tests and exercises',
      caller('session', ['police_dispatcher'], ['alerts.send.test']),
      ['test', 'exercise'],
    ],
    [
      'emergencies only',
      caller('session', ['emergency_management'], ['alerts.read', 'alerts.send.emergency']),
      ['emergency'],
    ],
    ['a role the profile does not let send, whatever it holds', caller('session', ['viewer'], all), []],
    ['reading only: none', caller('session', ['viewer'], ['alerts.read']), []],
  ])('%s', (_name, principal, kinds) => {
    expect(sendableKinds(profile, principal)).toEqual(kinds);
  });
});

describe('placing sendAlert’s refusals on the form', () => {
  it.each<[string, AppError, Record<string, string>, string | null]>([
    [
      'the template’s kinds',
      new AppError('validation', 'The "Fire" template is not for operations alerts.', { field: 'kind' }),
      { kind: 'The "Fire" template is not for operations alerts.' },
      null,
    ],
    [
      'unknown codes',
      new AppError('validation', 'Unknown building or zone code(s): ZZZ9.', {
        field: 'audience.locationCodes',
      }),
      { locationCodes: 'Unknown building or zone code(s): ZZZ9.' },
      null,
    ],
    [
      'the record’s problems, each at its field',
      new AppError('validation', 'The record is incomplete.', [
        { field: 'confirmedBy', message: 'say who confirmed the emergency' },
        { field: 'delayDecidedBy', message: 'say who decided to wait' },
      ]),
      { confirmedBy: 'Say who confirmed the emergency.', delayDecidedBy: 'Say who decided to wait.' },
      null,
    ],
    [
      'a language’s words, at that language’s field',
      new AppError('validation', 'translations.es.where is empty.', { field: 'translations.es.where' }),
      { 'es-where': 'translations.es.where is empty.' },
      null,
    ],
    [
      'a template gone since the form opened',
      new AppError('not_found', 'Template not found.'),
      { templateId: 'Template not found.' },
      null,
    ],
    [
      'a kind the roles may not send',
      new AppError('forbidden', 'Your roles may not send emergency alerts.'),
      { kind: 'Your roles may not send emergency alerts.' },
      null,
    ],
    [
      'anything else: at the top',
      new AppError('validation', 'Something about the whole alert.'),
      {},
      'Something about the whole alert.',
    ],
  ])('%s', (_name, error, problems, message) => {
    expect(problemsFromSendError(error)).toEqual({ problems, message });
  });
});

describe('wall-clock times in the institution’s zone', () => {
  it.each<[string, string, string | null]>([
    ['a datetime-local value in summer time', '2026-07-01T09:26', '2026-07-01T13:26:00.000Z'],
    ['typed with a space, one-digit hour, seconds', '2026-01-15 9:05:30', '2026-01-15T14:05:30.000Z'],
    ['the repeated hour of the autumn change: the first', '2026-11-01T01:30', '2026-11-01T05:30:00.000Z'],
    ['the skipped hour of the spring change: an hour later', '2026-03-08T02:30', '2026-03-08T07:30:00.000Z'],
    ['a day that does not exist', '2026-02-29T10:00', null],
    ['an hour that does not exist', '2026-03-14T24:00', null],
    ['words', 'noon', null],
    ['a two-digit year', '26-03-14 10:00', null],
  ])('reads %s', (_name, typed, iso) => {
    expect(parseLocalTime(typed, zone)?.toISOString() ?? null).toBe(iso);
  });

  it('writes an instant back as the datetime-local value it was read from', () => {
    expect(localInputValue(new Date('2026-07-01T13:26:45Z'), zone)).toBe('2026-07-01T09:26');
    expect(parseLocalTime(localInputValue(now, zone), zone)).toEqual(now);
  });
});

describe('the alert page’s forms', () => {
  it.each<[string, Record<string, string>, unknown]>([
    [
      'an update of the actions',
      { type: 'update', 'update-actions': ' Stay inside. ' },
      {
        input: { type: 'update', what: undefined, where: undefined, actions: 'Stay inside.' },
        problem: null,
      },
    ],
    [
      'the all-clear, whatever else is posted',
      { type: 'all_clear', 'update-what': 'x' },
      { input: { type: 'all_clear' }, problem: null },
    ],
    [
      'an update with nothing in it',
      { type: 'update', 'update-what': '  ' },
      { input: null, problem: 'Say what changed: fill in at least one of the three fields.' },
    ],
    [
      'an update too long',
      { type: 'update', 'update-where': 'x'.repeat(201) },
      { input: null, problem: 'Keep "where" to 200 characters (it has 201).' },
    ],
    [
      'an update in English and Spanish (only the Spanish fields written)',
      {
        type: 'update',
        'update-actions': 'Use the east exit.',
        'update-es-actions': ' Use la salida este. ',
      },
      {
        input: {
          type: 'update',
          what: undefined,
          where: undefined,
          actions: 'Use the east exit.',
          translations: { es: { actions: 'Use la salida este.' } },
        },
        problem: null,
      },
    ],
    [
      'a Spanish update too long',
      { type: 'update', 'update-what': 'x', 'update-es-what': 'x'.repeat(301) },
      { input: null, problem: 'Keep "what" in es to 300 characters (it has 301).' },
    ],
    ['no type', {}, { input: null, problem: 'Use the update or the all-clear form on this page.' }],
  ])('maps %s', (_name, body, expected) => {
    expect(mapFollowUpForm(readFollowUpForm(body), profile.alerts.languages)).toEqual(expected);
  });

  it.each<[string, unknown, unknown]>([
    ['no reason', {}, { reason: undefined, problem: null }],
    ['a reason, trimmed', { reason: ' Sent in error ' }, { reason: 'Sent in error', problem: null }],
    [
      'a reason too long',
      { reason: 'x'.repeat(1001) },
      { reason: undefined, problem: 'Keep the reason to 1000 characters (it has 1001).' },
    ],
  ])('reads a close with %s', (_name, body, expected) => {
    expect(mapCloseForm(body)).toEqual(expected);
  });

  it.each<[string, Record<string, number>, number, string]>([
    ['deliveries not all created yet', { delivered: 5 }, 1, 'preparing'],
    ['some queued', { delivered: 5, queued: 1 }, 0, 'in_progress'],
    ['a retry waiting', { delivered: 5, temporary_failure: 1 }, 0, 'in_progress'],
    [
      'every one final or awaiting a receipt',
      { delivered: 5, sent: 2, suppressed: 1, permanent_failure: 1 },
      0,
      'done',
    ],
    ['nothing to send', {}, 0, 'done'],
  ])('calls a channel with %s %s', (_name, counts, awaiting, state) => {
    expect(channelState(counts, awaiting)).toBe(state);
  });

  it.each<[string, Parameters<typeof audienceWords>[0], string]>([
    ['everyone', { everyone: true }, 'Everyone on campus'],
    ['buildings', { locationCodes: ['W20', 'N52'] }, 'Buildings and zones W20, N52'],
    ['affiliations', { affiliations: ['student', 'employee'] }, 'Students, Employees (faculty and staff)'],
  ])('words the audience %s', (_name, audience, words) => {
    expect(audienceWords(audience)).toBe(words);
  });
});
