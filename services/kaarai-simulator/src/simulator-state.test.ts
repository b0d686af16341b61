import { NO_FAULTS } from './simulator-faults';
import { DEFAULT_SETTINGS } from './simulator-settings';
import { createSimulatorState } from './simulator-state';

describe('createSimulatorState', () => {
  it('starts with the default settings, no faults and an empty record', () => {
    const state = createSimulatorState();
    expect(state).toMatchObject({
      sendPath: '/api/v1/sms/send',
      settings: DEFAULT_SETTINGS,
      faults: NO_FAULTS,
    });
    expect(state.record.total).toBe(0);
  });

  it('refuses invalid options, listing every problem', () => {
    expect(() =>
      createSimulatorState({ settings: { user: '' }, faults: { failureRate: 0.7, dropRate: 0.7 } }),
    ).toThrow(
      'invalid simulator options: settings.user: must be a non-empty string without a colon; ' +
        'faults.dropRate + hangRate + failureRate + loseAnswerRate: must add up to at most 1 (is 1.4)',
    );
  });

  it('refuses a send path without a leading slash', () => {
    expect(() => createSimulatorState({ sendPath: 'send' })).toThrow(RangeError);
  });
});
