const e164 = /^\+[1-9]\d{6,14}$/;
const email = /^([^@\s]+)@([A-Za-z0-9.-]+\.[A-Za-z]{2,})$/;
const personChannels = new Set(['sms', 'voice', 'email', 'office_phones']);

function maskedPhone(phone: string): string {
  return phone.length >= 11
    ? `${phone.slice(0, 5)}•••${phone.slice(-4)}`
    : `${phone.slice(0, 3)}•••${phone.slice(-2)}`;
}

/**
 * An address as reports show it: enough to tell two apart and check one against a directory
 * entry, not enough to use: +1617•••1212, j•••@mit.edu. Public channels' "addresses" are their
 * names and stay whole; anything else (a malformed address a provider refused) shows as •••, so a
 * report carries only characters it made itself.
 */
export function maskedAddress(channel: string, address: string): string {
  // A paging server's deliveries (office_phones) carry its name, not a person's address.
  if (!personChannels.has(channel) || address.startsWith('paging:')) return address;
  if (e164.test(address)) return maskedPhone(address);
  const parts = email.exec(address);
  if (!parts) return '•••';
  const first = /^[A-Za-z0-9]/.test(parts[1]!) ? parts[1]![0] : '';
  return `${first}•••@${parts[2]}`;
}

/** A provider's error text with the addresses in it masked: "550 <j•••@mit.edu>: no such user". */
export function withAddressesMasked(text: string): string {
  return text
    .replace(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+\.[a-z]{2,}/gi, (found) => maskedAddress('email', found))
    .replace(/\+[1-9]\d{7,14}\b/g, (found) => maskedPhone(found))
    .replace(/\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b/g, '•••');
}
