import { escapeXml } from '../rendering/xml.js';

/** A TwiML answer to an inbound SMS: one <Message> with the text, or an empty <Response/> (send nothing). */
export function twimlReply(text: string | null): string {
  const message = text === null ? '' : `<Message>${escapeXml(text)}</Message>`;
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${message}</Response>`;
}
