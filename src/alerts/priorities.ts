import type { AlertKind } from './alerts.tables.js';

/** Job and delivery priority by kind: emergency work runs ahead of everything else. */
export const priorityOf: Record<AlertKind, number> = {
  emergency: 100,
  operations: 50,
  exercise: 20,
  test: 20,
};
