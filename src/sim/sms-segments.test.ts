import { describe, expect, it } from 'vitest';
import { smsSegments } from './sms-segments.js';

describe('smsSegments', () => {
  it.each([
    ['', 1],
    ['a'.repeat(160), 1],
    ['a'.repeat(161), 2],
    ['a'.repeat(306), 2],
    ['a'.repeat(307), 3],
    ['€'.repeat(80), 1],
    ['€'.repeat(81), 2],
    ['é'.repeat(160), 1],
    ['ő'.repeat(70), 1],
    ['ő'.repeat(71), 2],
    ['a'.repeat(134) + '’', 3],
    ['🚨'.repeat(35), 1],
    ['🚨'.repeat(36), 2],
  ])('counts %j as %i segment(s)', (text, segments) => {
    expect(smsSegments(text)).toBe(segments);
  });
});
