import { describe, expect, it } from 'vitest';
import type { CapAlert } from './cap-alert.js';
import { parseReferences } from './cap-alert.js';
import { capRuleProblems } from './cap-rules.policy.js';

const alert = (over: Partial<CapAlert> = {}): CapAlert => ({
  identifier: 'NWS-2026-0001',
  sender: 'w-nws.webmaster@noaa.gov',
  sent: '2026-11-21T14:30:00-05:00',
  status: 'Actual',
  msgType: 'Alert',
  scope: 'Public',
  codes: [],
  referencesList: [],
  infos: [],
  ...over,
});
const ref = 'w-nws.webmaster@noaa.gov,NWS-2026-0000,2026-11-21T14:00:00-05:00';

describe('CAP rules the schema cannot express', () => {
  it.each([
    ['a plain alert', {}, []],
    ['an identifier with a space', { identifier: 'NWS 1' }, ['identifier']],
    ['an identifier with a comma', { identifier: 'NWS,1' }, ['identifier']],
    ['a sender with <', { sender: 'a<b' }, ['sender']],
    ['a sender with &', { sender: 'a&b' }, ['sender']],
    ['an empty identifier', { identifier: '' }, ['identifier']],
    ['sent in Z', { sent: '2026-11-21T19:30:00Z' }, ['sent']],
    ['sent without an offset', { sent: '2026-11-21T19:30:00' }, ['sent']],
    ['an Update without references', { msgType: 'Update' }, ['references']],
    ['a Cancel without references', { msgType: 'Cancel' }, ['references']],
    ['an Ack without references', { msgType: 'Ack' }, ['references']],
    ['an Update with references', { msgType: 'Update', referencesList: parseReferences(ref) }, []],
    [
      'a malformed reference',
      { msgType: 'Cancel', referencesList: parseReferences('onlysender') },
      ['references'],
    ],
    ['Restricted without restriction', { scope: 'Restricted' }, ['restriction']],
    ['Private without addresses', { scope: 'Private' }, ['addresses']],
    ['Private with addresses', { scope: 'Private', addresses: 'ops' }, []],
  ] as const)('%s → %j', (_name, over, elements) => {
    expect(capRuleProblems(alert(over as Partial<CapAlert>)).map((p) => p.element)).toEqual(elements);
  });

  it('reads references as sender,identifier,sent triples separated by white space', () => {
    expect(parseReferences(`${ref}\n  a,b,2026-01-01T00:00:00+00:00`)).toEqual([
      { sender: 'w-nws.webmaster@noaa.gov', identifier: 'NWS-2026-0000', sent: '2026-11-21T14:00:00-05:00' },
      { sender: 'a', identifier: 'b', sent: '2026-01-01T00:00:00+00:00' },
    ]);
  });
});
