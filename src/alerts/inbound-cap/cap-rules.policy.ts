import type { CapAlert } from './cap-alert.js';

/** A CAP 1.2 rule a document breaks, by element. */
export interface CapRuleProblem {
  element: string;
  message: string;
}

// CAP 1.2 §3.2.1: identifier and sender "MUST NOT include spaces, commas or restricted characters
// (< and &)", because references join them with commas and separate triples with spaces.
const forbiddenInName = /[\s,<&]/;
// CAP 1.2 §3.3.2: every time carries an explicit offset ("-00:00" for UTC, never "Z"). The schema's
// pattern says it too; the rule keeps it true of documents read any other way.
const capDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[-+]\d{2}:\d{2}$/;
// Each of these message types acts on earlier messages named in <references>.
const needsReferences = new Set(['Update', 'Cancel', 'Ack', 'Error']);

function nameProblems(element: string, value: string): CapRuleProblem[] {
  if (value === '') return [{ element, message: 'must not be empty' }];
  if (forbiddenInName.test(value))
    return [{ element, message: `'${value}' must not contain spaces, commas, '<' or '&'` }];
  return [];
}

function timeProblems(element: string, value: string | undefined): CapRuleProblem[] {
  if (value === undefined || (capDateTime.test(value) && !Number.isNaN(Date.parse(value)))) return [];
  return [
    {
      element,
      message: `'${value}' must be a date and time with an explicit offset, like 2026-11-21T14:30:00-05:00`,
    },
  ];
}

function referenceProblems(alert: CapAlert): CapRuleProblem[] {
  if (alert.referencesList.length === 0)
    return needsReferences.has(alert.msgType)
      ? [
          {
            element: 'references',
            message: `is required for a ${alert.msgType} message: name the earlier message(s) as sender,identifier,sent`,
          },
        ]
      : [];
  return alert.referencesList.flatMap((r) =>
    r.sender && r.identifier && capDateTime.test(r.sent)
      ? []
      : [
          {
            element: 'references',
            message: `'${[r.sender, r.identifier, r.sent].join(',')}' is not sender,identifier,sent`,
          },
        ],
  );
}

function scopeProblems(alert: CapAlert): CapRuleProblem[] {
  if (alert.scope === 'Restricted' && !alert.restriction)
    return [{ element: 'restriction', message: 'is required when scope is Restricted' }];
  if (alert.scope === 'Private' && !alert.addresses)
    return [{ element: 'addresses', message: 'is required when scope is Private' }];
  return [];
}

/** The CAP 1.2 rules the XML schema cannot express; an empty list means the message keeps them. */
export function capRuleProblems(alert: CapAlert): CapRuleProblem[] {
  return [
    ...nameProblems('identifier', alert.identifier),
    ...nameProblems('sender', alert.sender),
    ...timeProblems('sent', alert.sent),
    ...alert.infos.flatMap((info, i) =>
      (['effective', 'onset', 'expires'] as const).flatMap((field) =>
        timeProblems(`info[${i + 1}].${field}`, info[field]),
      ),
    ),
    ...referenceProblems(alert),
    ...scopeProblems(alert),
  ];
}
