import type { AlertContent } from './alert-content.js';

/** How loud a message is on displays and in the email banner. */
export type AlertLevel = 'emergency' | 'warning' | 'info' | 'all_clear' | 'test';

/** A background/foreground pair; every pair has a contrast ratio of at least 7:1 (WCAG AAA). */
export interface ColorPair {
  background: string;
  foreground: string;
}

export const levelColors: Record<AlertLevel, ColorPair> = {
  emergency: { background: '#8B0000', foreground: '#FFFFFF' },
  warning: { background: '#FFD100', foreground: '#000000' },
  info: { background: '#00356B', foreground: '#FFFFFF' },
  all_clear: { background: '#00562B', foreground: '#FFFFFF' },
  test: { background: '#4B0082', foreground: '#FFFFFF' },
};

/**
 * The level of a message. Tests and exercises are always 'test', so a drill never looks like an
 * emergency; an all-clear is 'all_clear', a cancellation 'info'; operations disruptions are 'warning'.
 */
export function levelFor(content: Pick<AlertContent, 'kind' | 'messageType'>): AlertLevel {
  if (content.kind === 'test' || content.kind === 'exercise') return 'test';
  if (content.messageType === 'all_clear') return 'all_clear';
  if (content.messageType === 'cancel') return 'info';
  return content.kind === 'emergency' ? 'emergency' : 'warning';
}

/** WCAG 2 contrast ratio between two #RRGGBB colours (1 to 21). */
export function contrastRatio(first: string, second: string): number {
  const [lighter, darker] = [luminance(first), luminance(second)].sort((a, b) => b - a) as [number, number];
  return (lighter + 0.05) / (darker + 0.05);
}

/** WCAG 2 relative luminance of a #RRGGBB colour. */
function luminance(hex: string): number {
  const channels = [1, 3, 5].map((start) => parseInt(hex.slice(start, start + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [
    number,
    number,
    number,
  ];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
