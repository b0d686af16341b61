import type { SimulatorAdmin } from './simulator-admin';

/** Texts among `texts` that the simulator recorded at least once, e.g. messages refused with 503. */
export async function recordedAmong(admin: SimulatorAdmin, texts: readonly string[]): Promise<string[]> {
  const counts = await admin.countBy('text');
  return texts.filter((text) => (counts.get(text) ?? 0) > 0);
}
