import type { SendAttempt } from '../send-attempt';

/** A message past its validity is never sent: a late one-time password is worse than none. */
export async function putAsideExpired(attempt: SendAttempt, expiresAt: number): Promise<void> {
  const expired = await attempt.putAside('expired', 'expired', {
    attempts: attempt.job.attemptsMade,
    lastMessage: `validity ended at ${new Date(expiresAt).toISOString()} before delivery`,
  });
  if (expired) attempt.deps.metrics.expired.inc();
}
