import type { Generated } from 'kysely';

/** The addresses a registrant can verify. */
export const registrationChannels = ['sms', 'email'] as const;
export type RegistrationChannel = (typeof registrationChannels)[number];

/** A pending address: waiting for its code or link, verified, locked after too many wrong codes, or cancelled. */
export type RegistrationContactStatus = 'pending' | 'verified' | 'locked' | 'cancelled';

interface RegistrationsTable {
  id: Generated<string>;
  campus_id: string;
  display_name: string;
  preferred_language: string;
  consented_at: Date;
  person_id: string | null;
  created_at: Date;
}

interface RegistrationContactsTable {
  id: Generated<string>;
  registration_id: string;
  channel: RegistrationChannel;
  address: string;
  status: Generated<RegistrationContactStatus>;
  code_hash: Buffer | null;
  attempts: Generated<number>;
  expires_at: Date | null;
  messages_sent: Generated<number>;
  verified_at: Date | null;
  contact_id: string | null;
  created_at: Date;
}

interface RegistrationThrottleTable {
  bucket: string;
  key_hash: Buffer;
  window_start: Date;
  hits: number;
  expires_at: Date;
}

interface RegistrationOutboxTable {
  id: Generated<string>;
  registration_contact_id: string;
  channel: RegistrationChannel;
  address: string;
  subject: string | null;
  body: string;
  created_at: Date;
}

export interface SelfRegistrationTables {
  registrations: RegistrationsTable;
  registration_contacts: RegistrationContactsTable;
  registration_throttle: RegistrationThrottleTable;
  registration_outbox: RegistrationOutboxTable;
}
