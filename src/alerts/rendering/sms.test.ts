import { describe, expect, it } from 'vitest';
import { makeAlertContent } from './alert-content.factory.js';
import { maxSmsSegments, renderSms, toGsmFriendly } from './sms.js';

describe('SMS rendering', () => {
  it.each([
    ['emergency', 'alert', 'MIT Alert: Natural gas leak reported.'],
    ['test', 'alert', 'MIT Alert: TEST - Natural gas leak reported.'],
    ['exercise', 'alert', 'MIT Alert: EXERCISE - Natural gas leak reported.'],
    ['emergency', 'update', 'MIT Alert: UPDATE - Natural gas leak reported.'],
    ['emergency', 'all_clear', 'MIT Alert: ALL CLEAR - Natural gas leak reported.'],
    ['emergency', 'cancel', 'MIT Alert: CANCELLED - Natural gas leak reported.'],
    ['test', 'all_clear', 'MIT Alert: TEST - Natural gas leak reported.'],
    ['exercise', 'all_clear', 'MIT Alert: EXERCISE - Natural gas leak reported.'],
    ['exercise', 'update', 'MIT Alert: EXERCISE - UPDATE - Natural gas leak reported.'],
  ] as const)('a %s %s starts with %j', (kind, messageType, start) => {
    const sequence = messageType === 'alert' ? 0 : 1;
    expect(renderSms(makeAlertContent({ kind, messageType, sequence })).text.startsWith(start)).toBe(true);
  });

  it('gives what, where, actions, the page link and the reply prompt compactly', () => {
    const sms = renderSms(makeAlertContent({ replyPrompt: 'Reply 1 if safe, 2 if you need help.' }));
    expect(sms.text).toBe(
      'MIT Alert: Natural gas leak reported. Where: Building 10, Killian Court side. Avoid the area. ' +
        'Follow the instructions of MIT Police. Info: https://emergency.mit.net/alerts/5f0c9a52 ' +
        'Reply 1 if safe, 2 if you need help. Reply STOP to opt out.',
    );
    expect(sms.encoding).toMatchObject({ encoding: 'GSM-7', segments: 2 });
  });

  it.each([
    [0, 'alert', true],
    [1, 'update', false],
    [2, 'all_clear', true],
    [1, 'cancel', false],
  ] as const)('message %i (%s) carries the STOP notice: %s', (sequence, messageType, expected) => {
    expect(
      renderSms(makeAlertContent({ sequence, messageType })).text.includes('Reply STOP to opt out.'),
    ).toBe(expected);
  });

  it('leaves out a link that is not http(s), with a warning', () => {
    const sms = renderSms(makeAlertContent({ links: { page: 'javascript:alert(1)' } }));
    expect(sms.text).not.toContain('javascript');
    expect(sms.warnings.some((warning) => warning.includes('not an http(s) URL'))).toBe(true);
  });

  it('turns Word typography into GSM-7 so the message stays at 153 characters per segment', () => {
    const sms = renderSms(
      makeAlertContent({ what: 'A “suspicious” package – don’t touch it…', actions: 'Stay\u00A0away.' }),
    );
    expect(sms.text).toContain('A "suspicious" package - don\'t touch it...');
    expect(sms.text).toContain('Stay away.');
    expect(sms.encoding.encoding).toBe('GSM-7');
  });

  it.each([
    ['“quotes”', '"quotes"'],
    ['it’s ‘fine’', "it's 'fine'"],
    ['a—b–c', 'a-b-c'],
    ['wait…', 'wait...'],
    ['zero\u200Bwidth', 'zerowidth'],
    ['校园', '校园'],
    ['café', 'café'],
  ])('toGsmFriendly(%j) is %j', (input, output) => {
    expect(toGsmFriendly(input)).toBe(output);
  });

  it('keeps Chinese text as UCS-2 and says which characters force it', () => {
    const sms = renderSms(
      makeAlertContent({ language: 'zh', what: '天然气泄漏', where: '10号楼', actions: '请远离该区域。' }),
    );
    expect(sms.text).toContain('天然气泄漏');
    expect(sms.encoding.encoding).toBe('UCS-2');
    expect(sms.encoding.ucs2Characters).toContain('天');
  });

  it('shortens the description, never the actions, when the message exceeds three segments', () => {
    const actions =
      'Shelter in place. Lock doors. Stay away from windows. Wait for the all-clear from MIT Police.';
    const sms = renderSms(makeAlertContent({ what: 'Police activity. '.repeat(40), actions }));
    expect(sms.encoding.segments).toBeLessThanOrEqual(maxSmsSegments);
    expect(sms.text).toContain(actions);
    expect(sms.text).toContain('...');
    expect(sms.warnings).toContain('The description was shortened to fit 3 segments.');
  });

  it('keeps over-long actions whole and asks for them to be shortened', () => {
    const actions = 'Follow the instructions. '.repeat(30).trim();
    const sms = renderSms(makeAlertContent({ actions }));
    expect(sms.text).toContain(actions);
    expect(sms.encoding.segments).toBeGreaterThan(maxSmsSegments);
    expect(sms.warnings.some((warning) => warning.includes('shorten the actions'))).toBe(true);
  });

  it('puts a template written on several lines on one line', () => {
    expect(renderSms(makeAlertContent({ what: 'Gas leak\nreported' })).text).toContain('Gas leak reported.');
  });
});
