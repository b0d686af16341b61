import type { AttemptRecord, StatusRecord } from '@sms/status-store';

/** A final status record with its attempt history, as archived. */
export interface ArchivedMessage extends StatusRecord {
  readonly history: readonly AttemptRecord[];
}
