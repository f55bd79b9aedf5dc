import { randomBytes } from 'node:crypto';

/** A time as CAP writes it: seconds, an explicit offset, never Z. */
function capTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

export interface CapFixture {
  identifier?: string;
  sender?: string;
  sent?: string;
  status?: string;
  msgType?: string;
  references?: string;
  category?: string;
  event?: string;
  urgency?: string;
  severity?: string;
  headline?: string;
  instruction?: string;
  areas?: string[];
  expires?: Date;
  /** Leave the <info> block out (a Cancel may carry none). */
  noInfo?: boolean;
}

/** A fresh NWS-style identifier. */
export function capIdentifier(): string {
  return `urn:oid:2.49.0.1.840.0.${randomBytes(8).toString('hex')}.001.1`;
}

const escape = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;');

/**
 * A CAP 1.2 document shaped like the National Weather Service's (a tornado warning for Middlesex
 * and Suffolk counties, Massachusetts), with any field replaced.
 */
export function nwsCap(f: CapFixture = {}): string {
  const now = new Date();
  const expires = f.expires ?? new Date(now.getTime() + 3_600_000);
  const info = `
  <info>
    <language>en-US</language>
    <category>${f.category ?? 'Met'}</category>
    <event>${escape(f.event ?? 'Tornado Warning')}</event>
    <responseType>Shelter</responseType>
    <urgency>${f.urgency ?? 'Immediate'}</urgency>
    <severity>${f.severity ?? 'Extreme'}</severity>
    <certainty>Observed</certainty>
    <eventCode><valueName>SAME</valueName><value>TOR</value></eventCode>
    <effective>${capTime(now)}</effective>
    <onset>${capTime(now)}</onset>
    <expires>${capTime(expires)}</expires>
    <senderName>NWS Boston/Norton MA</senderName>
    <headline>${escape(f.headline ?? 'Tornado Warning issued for Middlesex and Suffolk counties until 3:15PM EST by NWS Boston/Norton MA')}</headline>
    <description>At 2:30 PM EST, a severe thunderstorm capable of producing a tornado was located over Waltham, moving east at 35 mph.</description>
    <instruction>${escape(f.instruction ?? 'TAKE COVER NOW! Move to a basement or an interior room on the lowest floor of a sturdy building. Avoid windows.')}</instruction>
    <web>http://www.weather.gov</web>
    <parameter><valueName>NWSheadline</valueName><value>TORNADO WARNING IN EFFECT UNTIL 315 PM EST</value></parameter>
    ${(f.areas ?? ['Middlesex, MA', 'Suffolk, MA'])
      .map(
        (a) => `<area>
      <areaDesc>${escape(a)}</areaDesc>
      <polygon>42.35,-71.12 42.40,-71.05 42.33,-71.00 42.35,-71.12</polygon>
      <geocode><valueName>UGC</valueName><value>MAZ014</value></geocode>
    </area>`,
      )
      .join('\n    ')}
  </info>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>${escape(f.identifier ?? capIdentifier())}</identifier>
  <sender>${escape(f.sender ?? 'w-nws.webmaster@noaa.gov')}</sender>
  <sent>${f.sent ?? capTime(now)}</sent>
  <status>${f.status ?? 'Actual'}</status>
  <msgType>${f.msgType ?? 'Alert'}</msgType>
  <scope>Public</scope>
  <code>IPAWSv1.0</code>${f.references ? `\n  <references>${escape(f.references)}</references>` : ''}${f.noInfo ? '' : info}
</alert>
`;
}

/** The "sender,identifier,sent" reference to a document built by nwsCap. */
export function referenceTo(document: string): string {
  const field = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(document)![1]!;
  return `${field('sender')},${field('identifier')},${field('sent')}`;
}
