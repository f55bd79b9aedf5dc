import { expect, it } from 'vitest';
import { inChannelOrder } from './channel-order.js';

it('orders channels as the profile lists them, unknown ones last and alphabetical, without changing the input', () => {
  const items = ['email', 'webhook', 'sms', 'zeta', 'voice', 'alpha'].map((channel) => ({ channel }));
  const order = ['sms', 'voice', 'email', 'webhook'];
  expect(inChannelOrder(items, order, (i) => i.channel).map((i) => i.channel)).toEqual([
    'sms',
    'voice',
    'email',
    'webhook',
    'alpha',
    'zeta',
  ]);
  expect(items[0]!.channel).toBe('email');
});
