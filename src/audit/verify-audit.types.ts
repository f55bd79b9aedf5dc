/**
 * What verifying the audit chain reports (GET /api/v1/audit/verification). Kept free of Node and
 * database imports so the console (web/) can import the types.
 */

type AuditProblemKind =
  | 'missing_rows'
  | 'chain_break'
  | 'row_edited'
  | 'truncated'
  | 'checkpoint_mismatch'
  | 'bad_signature'
  | 'untrusted_key';

export interface AuditProblem {
  kind: AuditProblemKind;
  seq: string;
  message: string;
}

export interface AuditVerification {
  ok: boolean;
  rows: number;
  lastSeq: string | null;
  checkpoints: number;
  lastCheckpointSeq: string | null;
  /** When the last checkpoint was signed. */
  lastCheckpointAt: string | null;
  problems: AuditProblem[];
}
