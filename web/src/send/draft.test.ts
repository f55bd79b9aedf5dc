import { describe, expect, it } from 'vitest';
import {
  draftProblems,
  inChannelOrder,
  keepLanguageWords,
  needsReview,
  newDraft,
  sendBodyOf,
  withGeneratedTexts,
  withLanguageWords,
  type Draft,
} from './draft';
import type { SendOptions, TemplateVersion } from './send-types';

const template: TemplateVersion = {
  templateId: '00000000-0000-4000-8000-000000000001',
  name: 'Shelter in place',
  hazard: 'shelter_in_place',
  version: 1,
  languages: {
    en: { what: 'Shelter in place.', where: '{where}', actions: 'Go indoors now.' },
    es: { what: 'Refúgiese en el lugar.', where: 'Edificio: {where}', actions: 'Entre ahora.' },
  },
};
const options: SendOptions = {
  kinds: [{ kind: 'test', label: 'Test', title: 'Test', description: '', defaultChannels: ['sms'] }],
  hazards: [{ code: 'shelter_in_place', title: 'Shelter in place', kinds: ['test'] }],
  channels: [{ channel: 'sms', label: 'Text message (SMS)', reachesPeople: true }],
  languages: [
    { code: 'en', name: 'English', primary: true },
    {
      code: 'es',
      name: 'Spanish',
      primary: false,
      detailsInPrimaryLanguage: 'Los detalles están en inglés.',
    },
  ],
  delayReasons: [],
  initiationDelayThresholdMinutes: 15,
  confirmationSources: [],
};
const w20 = { code: 'W20', name: 'Stratton Student Center', kind: 'building' };

/** A draft for W20, as the composer holds it after the operator's changes. */
function draft(...changes: Array<(d: Draft) => Partial<Draft>>): Draft {
  let d = newDraft(template, options, { id: 'op', displayName: 'Operator' }, new Date())!;
  d = withGeneratedTexts({ ...d, places: [w20] }, template.name);
  for (const change of changes) d = withGeneratedTexts({ ...d, ...change(d) }, template.name);
  return d;
}

describe('every language’s words in the composer', () => {
  it('starts from the template’s words in each language, where following the primary where', () => {
    const d = draft();
    expect(d.languages.es).toMatchObject({
      what: 'Refúgiese en el lugar.',
      where: 'Edificio: Building W20 (Stratton Student Center)',
      actions: 'Entre ahora.',
    });
    expect(needsReview(d, 'es')).toBe(false);
    expect(sendBodyOf(d).translations).toEqual({
      es: {
        what: 'Refúgiese en el lugar.',
        where: 'Edificio: Building W20 (Stratton Student Center)',
        actions: 'Entre ahora.',
      },
    });
  });

  it('marks Spanish for review when the English changes, and sends the details-in-English sentence until then', () => {
    const d = draft(() => ({ actions: 'Leave by the east exit.' }));
    expect(needsReview(d, 'es')).toBe(true);
    expect(sendBodyOf(d).translations).toEqual({
      es: {
        what: 'Los detalles están en inglés. Shelter in place.',
        where: 'Building W20 (Stratton Student Center)',
        actions: 'Leave by the east exit.',
      },
    });
    // Nothing to fill in: the sentence stands in for the Spanish words, even emptied ones.
    const emptied = draft(
      (x) => withLanguageWords(x, 'es', { what: ' ' }),
      () => ({ actions: 'Leave by the east exit.' }),
    );
    expect(needsReview(emptied, 'es')).toBe(true);
    expect(Object.keys(draftProblems(emptied))).not.toContain('translations.es.what');
  });

  it('clears the mark when the operator writes Spanish, or keeps the Spanish words as they are', () => {
    const written = draft(
      () => ({ actions: 'Leave by the east exit.' }),
      (d) => withLanguageWords(d, 'es', { actions: 'Salga por la salida este.' }),
    );
    expect(needsReview(written, 'es')).toBe(false);
    expect(sendBodyOf(written).translations?.es).toMatchObject({
      what: 'Refúgiese en el lugar.',
      actions: 'Salga por la salida este.',
    });
    const kept = draft(
      () => ({ what: 'Shelter in place now.' }),
      (d) => keepLanguageWords(d, 'es'),
    );
    expect(needsReview(kept, 'es')).toBe(false);
    expect(sendBodyOf(kept).translations?.es?.what).toBe('Refúgiese en el lugar.');
    // A later change of the English asks again.
    expect(needsReview({ ...kept, what: 'Evacuate.' }, 'es')).toBe(true);
  });

  it('asks for Spanish words the operator emptied', () => {
    const d = draft((x) => withLanguageWords(x, 'es', { what: ' ' }));
    expect(draftProblems(d)['translations.es.what']).toBe('Say what is happening in this language.');
  });
});

describe('channels in the profile’s order', () => {
  const channels = ['sms', 'email', 'voice', 'office_phones'].map((channel) => ({
    channel,
    label: channel,
    reachesPeople: true,
  }));
  it('lists chosen channels as the composer lists them, not as they were ticked or configured per kind', () => {
    expect(inChannelOrder({ channels }, ['office_phones', 'email', 'sms'])).toEqual([
      'sms',
      'email',
      'office_phones',
    ]);
  });
  it('puts a channel the profile no longer lists last', () => {
    expect(inChannelOrder({ channels }, ['signage', 'voice'])).toEqual(['voice', 'signage']);
  });
  it('gives a kind’s default channels in the profile’s order', () => {
    const kinds = [{ ...options.kinds[0]!, defaultChannels: ['email', 'sms'] }];
    const d = newDraft(
      template,
      { ...options, kinds, channels },
      { id: 'op', displayName: 'O' },
      new Date(),
    )!;
    expect(d.channels).toEqual(['sms', 'email']);
  });
});
