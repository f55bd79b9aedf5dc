import { describe, expect, it } from 'vitest';
import { classifyReply, fillReply } from './keywords.policy.js';
import { repliesProfileSchema } from './replies.profile.js';

const keywords = repliesProfileSchema.parse({}).keywords;

describe('classifyReply', () => {
  it.each([
    ['STOP', 'stop'],
    ['stop', 'stop'],
    ['  Stop. ', 'stop'],
    ['END', 'stop'],
    ['cancel', 'stop'],
    ['Unsubscribe', 'stop'],
    ['QUIT!', 'stop'],
    ['START', 'start'],
    ['start', 'start'],
    ['HELP', 'help'],
    ['help?', 'help'],
    ['1', 'safe'],
    [' 1 ', 'safe'],
    ['safe', 'safe'],
    ['2', 'need_help'],
    ['2.', 'need_help'],
    ['help me', 'unknown'],
    ['stop it', 'unknown'],
    ['12', 'unknown'],
    ['', 'unknown'],
    ['🙂', 'unknown'],
    ['１', 'safe'],
    ['x'.repeat(2000), 'unknown'],
  ])('%j is %s', (body, expected) => {
    expect(classifyReply(body, keywords)).toBe(expected);
  });

  it('uses the keywords the profile lists', () => {
    const custom = repliesProfileSchema.parse({
      keywords: { stop: ['arret'], needHelp: ['2', 'sos'] },
    }).keywords;
    expect(classifyReply('ARRET', custom)).toBe('stop');
    expect(classifyReply('STOP', custom)).toBe('unknown');
    expect(classifyReply('SOS', custom)).toBe('need_help');
  });

  it('refuses a profile that puts one keyword in two lists', () => {
    expect(() => repliesProfileSchema.parse({ keywords: { safe: ['1', 'HELP'] } })).toThrow(/only one list/);
  });
});

describe('the default reply texts', () => {
  const texts = repliesProfileSchema.parse({}).texts;
  const filled = (t: string) => fillReply(t, { program: 'MIT Alert', contact: 'MIT Police 617-253-1212' });

  it('answer HELP with the programme, a contact, the frequency, the rates notice and how to stop', () => {
    const help = filled(texts.help);
    expect(help).toMatch(/^MIT Alert:/);
    expect(help).toContain('617-253-1212');
    expect(help).toContain('Msg frequency varies');
    expect(help).toContain('Msg&data rates may apply');
    expect(help).toContain('Reply STOP');
  });

  it('confirm STOP and say how to come back', () => {
    expect(filled(texts.stop)).toMatch(/unsubscribed.*no more text messages.*START/);
  });
});
