/**
 * Items in the campus's channel order (the profile's alerts.channels: SMS, voice, email, …, as the
 * send options list them), so every list of channels reads the same way; a channel the order does
 * not name comes after those it does, alphabetically.
 */
export function inChannelOrder<T>(
  items: readonly T[],
  order: readonly string[],
  channelOf: (item: T) => string,
): T[] {
  const rank = (channel: string) => {
    const i = order.indexOf(channel);
    return i === -1 ? order.length : i;
  };
  return [...items].sort((a, b) => {
    const x = channelOf(a);
    const y = channelOf(b);
    return rank(x) - rank(y) || (x < y ? -1 : x > y ? 1 : 0);
  });
}
