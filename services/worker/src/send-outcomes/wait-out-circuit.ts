import type { SendAttempt } from '../send-attempt';
import type { SendResult } from './send-outcome';

/** The circuit is open: Kaarai is down, not this message, which waits with its attempts kept. */
export async function waitOutCircuit(attempt: SendAttempt, { code, last }: SendResult): Promise<void> {
  if (!(await attempt.record({ status: 'retrying', ...last }, attempt.history(last, 'circuit_open')))) return;
  await attempt.emit('retrying', code);
  const state = await attempt.onRedis(() => attempt.deps.gate.state());
  await attempt.waitForGate(state.state === 'open' ? 1_000 : Math.max(100, state.until - attempt.now()));
}
