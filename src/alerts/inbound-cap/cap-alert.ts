import { XMLParser } from 'fast-xml-parser';
import type { capValues } from '../rendering/cap-values.js';

export type CapStatus = 'Actual' | 'Exercise' | 'System' | 'Test' | 'Draft';
export type CapMsgType = 'Alert' | 'Update' | 'Cancel' | 'Ack' | 'Error';
/** One of the schema's categories (the list lives with the renderer's, in cap-values.ts). */
export type CapCategory = (typeof capValues.category)[number];

interface CapValuePair {
  valueName: string;
  value: string;
}

/** An earlier message this one refers to: CAP's "sender,identifier,sent" triple. */
export interface CapReference {
  sender: string;
  identifier: string;
  sent: string;
}

interface CapArea {
  areaDesc: string;
  polygons: string[];
  circles: string[];
  geocodes: CapValuePair[];
  altitude?: string;
  ceiling?: string;
}

interface CapResource {
  resourceDesc: string;
  mimeType: string;
  size?: string;
  uri?: string;
  digest?: string;
}

export interface CapInfo {
  language: string;
  categories: CapCategory[];
  event: string;
  responseTypes: string[];
  urgency: string;
  severity: string;
  certainty: string;
  audience?: string;
  eventCodes: CapValuePair[];
  effective?: string;
  onset?: string;
  expires?: string;
  senderName?: string;
  headline?: string;
  description?: string;
  instruction?: string;
  web?: string;
  contact?: string;
  parameters: CapValuePair[];
  resources: CapResource[];
  areas: CapArea[];
}

/**
 * A CAP 1.2 alert message as Tocsin reads it. Times stay as written (with their offsets), so the
 * parsed form is plain JSON and says exactly what the sender said.
 */
export interface CapAlert {
  identifier: string;
  sender: string;
  sent: string;
  status: CapStatus;
  msgType: CapMsgType;
  source?: string;
  scope: 'Public' | 'Restricted' | 'Private';
  restriction?: string;
  addresses?: string;
  codes: string[];
  note?: string;
  /** The raw <references> text; `referencesList` is its parsed triples. */
  references?: string;
  referencesList: CapReference[];
  incidents?: string;
  infos: CapInfo[];
}

// Elements that may repeat are always arrays, so one occurrence reads like many.
const repeated = new Set([
  'alert.code',
  'alert.info',
  'alert.info.category',
  'alert.info.responseType',
  'alert.info.eventCode',
  'alert.info.parameter',
  'alert.info.resource',
  'alert.info.area',
  'alert.info.area.polygon',
  'alert.info.area.circle',
  'alert.info.area.geocode',
]);

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  // Numeric character references (&#169;) are XML; a named HTML entity never gets here, because
  // the document was read by then (requireXmlWithoutDtd, libxml2): no DTD, no undeclared entity.
  htmlEntities: true,
  isArray: (_name, jpath) => repeated.has(String(jpath)),
});

type Node = Record<string, unknown>;

function text(node: Node, key: string): string | undefined {
  const value = node[key];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : String(value);
}

function required(node: Node, key: string): string {
  return text(node, key) ?? '';
}

function list(node: Node, key: string): Node[] {
  const value = node[key];
  return Array.isArray(value) ? (value as Node[]) : [];
}

function strings(node: Node, key: string): string[] {
  const value = node[key];
  return Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v : String(v))) : [];
}

function pairs(node: Node, key: string): CapValuePair[] {
  return list(node, key).map((p) => ({ valueName: required(p, 'valueName'), value: required(p, 'value') }));
}

/** Split <references> ("sender,identifier,sent" separated by white space) into triples. */
export function parseReferences(references: string | undefined): CapReference[] {
  if (!references) return [];
  return references
    .split(/\s+/)
    .filter(Boolean)
    .map((triple) => {
      const [sender = '', identifier = '', sent = ''] = triple.split(',');
      return { sender, identifier, sent };
    });
}

function toArea(area: Node): CapArea {
  return {
    areaDesc: required(area, 'areaDesc'),
    polygons: strings(area, 'polygon'),
    circles: strings(area, 'circle'),
    geocodes: pairs(area, 'geocode'),
    altitude: text(area, 'altitude'),
    ceiling: text(area, 'ceiling'),
  };
}

function toInfo(info: Node): CapInfo {
  return {
    language: text(info, 'language') ?? 'en-US',
    categories: strings(info, 'category') as CapCategory[],
    event: required(info, 'event'),
    responseTypes: strings(info, 'responseType'),
    urgency: required(info, 'urgency'),
    severity: required(info, 'severity'),
    certainty: required(info, 'certainty'),
    audience: text(info, 'audience'),
    eventCodes: pairs(info, 'eventCode'),
    effective: text(info, 'effective'),
    onset: text(info, 'onset'),
    expires: text(info, 'expires'),
    senderName: text(info, 'senderName'),
    headline: text(info, 'headline'),
    description: text(info, 'description'),
    instruction: text(info, 'instruction'),
    web: text(info, 'web'),
    contact: text(info, 'contact'),
    parameters: pairs(info, 'parameter'),
    resources: list(info, 'resource').map((r) => ({
      resourceDesc: required(r, 'resourceDesc'),
      mimeType: required(r, 'mimeType'),
      size: text(r, 'size'),
      uri: text(r, 'uri'),
      digest: text(r, 'digest'),
    })),
    areas: list(info, 'area').map(toArea),
  };
}

/**
 * Read a document already valid against the CAP 1.2 schema into a CapAlert. Call it only after
 * schema validation: it trusts the structure the schema guarantees.
 */
export function parseCapAlert(xml: string): CapAlert {
  const root = (parser.parse(xml) as Node).alert as Node;
  const references = text(root, 'references');
  return {
    identifier: required(root, 'identifier'),
    sender: required(root, 'sender'),
    sent: required(root, 'sent'),
    status: required(root, 'status') as CapStatus,
    msgType: required(root, 'msgType') as CapMsgType,
    source: text(root, 'source'),
    scope: required(root, 'scope') as CapAlert['scope'],
    restriction: text(root, 'restriction'),
    addresses: text(root, 'addresses'),
    codes: strings(root, 'code'),
    note: text(root, 'note'),
    references,
    referencesList: parseReferences(references),
    incidents: text(root, 'incidents'),
    infos: list(root, 'info').map(toInfo),
  };
}

/** The latest expiry of the message: null when any info block has none (it does not expire). */
export function capExpiresAt(alert: CapAlert): Date | null {
  if (alert.infos.length === 0 || alert.infos.some((i) => !i.expires)) return null;
  return new Date(Math.max(...alert.infos.map((i) => new Date(i.expires!).getTime())));
}
