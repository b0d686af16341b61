import type { DeadLetterEntry } from '@sms/queue';
import { jobData } from './replay-message';

const entry: DeadLetterEntry = {
  to: '573001234567',
  from: 'ACME',
  text: 'Your code is 1234',
  client: 'billing',
  acceptedAt: 1_000_000,
  expiresAt: 1_000_000 + 600_000,
  requestId: 'req-1',
  reason: 'expired',
  message: 'validity ended',
  attempts: 0,
  deadLetteredAt: 1_700_000,
};

describe('jobData', () => {
  it('keeps the message as submitted, without the dead-letter fields', () => {
    expect(jobData(entry, 5_000_000)).toEqual({
      to: '573001234567',
      from: 'ACME',
      text: 'Your code is 1234',
      client: 'billing',
      acceptedAt: 1_000_000,
      requestId: 'req-1',
      expiresAt: 5_000_000 + 600_000,
    });
  });

  it('gives the message its original validity again, counted from the replay', () => {
    expect(jobData(entry, 5_000_000).expiresAt).toBe(5_600_000);
  });

  it('counts validFor from the replay when given', () => {
    expect(jobData(entry, 5_000_000, 60).expiresAt).toBe(5_060_000);
  });

  it('leaves a message that never expired without an expiry', () => {
    const { expiresAt: _, ...forever } = entry;
    expect(jobData(forever, 5_000_000)).not.toHaveProperty('expiresAt');
    expect(jobData(forever, 5_000_000, 120).expiresAt).toBe(5_120_000);
  });
});
