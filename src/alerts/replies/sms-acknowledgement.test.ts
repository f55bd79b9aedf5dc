import { describe, expect, it } from 'vitest';
import { makeAlertContent } from '../rendering/alert-content.factory.js';
import { smsEncoding } from '../rendering/sms-segments.js';
import { maxSmsSegments, renderSms } from '../rendering/sms.js';

describe('the SMS of an alert that asks for acknowledgements', () => {
  it('asks "Reply 1 if safe, 2 if you need help." before the STOP notice of the first message', () => {
    const sms = renderSms(makeAlertContent({ acknowledgementRequested: true }));
    expect(sms.text).toMatch(/Reply 1 if safe, 2 if you need help\. Reply STOP to opt out\.$/);
  });

  it('ends an update with the question', () => {
    const sms = renderSms(
      makeAlertContent({ acknowledgementRequested: true, sequence: 1, messageType: 'update' }),
    );
    expect(sms.text).toMatch(/Reply 1 if safe, 2 if you need help\.$/);
  });

  it('asks in Spanish without leaving GSM-7', () => {
    const sms = renderSms(makeAlertContent({ acknowledgementRequested: true, language: 'es' }));
    expect(sms.text).toContain('Responda 1 si se encuentra bien, 2 si necesita ayuda.');
    expect(sms.encoding.encoding).toBe('GSM-7');
  });

  it('counts the question in the segments and shortens the description, never the question', () => {
    const long = 'A very long description of what is happening on campus right now '.repeat(6);
    const asked = renderSms(makeAlertContent({ what: long, acknowledgementRequested: true }));
    expect(asked.encoding).toEqual(smsEncoding(asked.text));
    expect(asked.encoding.segments).toBeLessThanOrEqual(maxSmsSegments);
    expect(asked.text).toContain('Reply 1 if safe, 2 if you need help.');
    const plain = renderSms(makeAlertContent({ what: long }));
    expect(asked.text.length - plain.text.length).toBeLessThan(
      'Reply 1 if safe, 2 if you need help. '.length,
    );
  });

  it('does not ask when the alert does not', () => {
    expect(renderSms(makeAlertContent()).text).not.toContain('Reply 1');
  });
});
