import type { Readable } from 'node:stream';

const maxHeaderBytes = 262_144;

/** The header block of a message read from its DATA stream, and the whole message's size. */
export interface ReadMessage {
  header: string;
  size: number;
}

/**
 * Read a message stream to its end (the SMTP server needs it drained) keeping only the header
 * block: the text before the first empty line, capped at 256 KiB. Bodies are never buffered.
 */
export async function readHeaderBlock(stream: Readable): Promise<ReadMessage> {
  let head = '';
  let header: string | undefined;
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (header !== undefined) continue;
    head += chunk.toString('latin1');
    const end = /\r?\n\r?\n/.exec(head);
    if (end) header = head.slice(0, end.index);
    else if (head.length > maxHeaderBytes) header = head.slice(0, maxHeaderBytes);
  }
  return { header: Buffer.from(header ?? head, 'latin1').toString('utf8'), size };
}

/** Header fields by lower-cased name, each with its values in order; folded lines unfolded. */
export function parseHeaders(block: string): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  const unfolded = block.replace(/\r?\n(?=[ \t])/g, '');
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const list = headers.get(name);
    if (list) list.push(value);
    else headers.set(name, [value]);
  }
  return headers;
}

/**
 * Tocsin's delivery ids in a message, in recipient (RCPT TO) order. `X-Tocsin-Delivery-Ids:
 * id1,id2,…` (one or more such fields, read in order) wins; otherwise each `X-Tocsin-Delivery-Id`
 * field is one id, so a message to one recipient simply carries one.
 */
export function deliveryIdsOf(headers: Map<string, string[]>): string[] {
  const split = (values: string[]) =>
    values
      .flatMap((v) => v.split(','))
      .map((id) => id.trim())
      .filter((id) => id !== '');
  const list = headers.get('x-tocsin-delivery-ids');
  if (list) return split(list);
  return split(headers.get('x-tocsin-delivery-id') ?? []);
}
