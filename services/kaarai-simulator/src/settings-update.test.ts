import { parseSettingsUpdate } from './settings-update';
import { DEFAULT_SETTINGS } from './simulator-settings';

describe('parseSettingsUpdate', () => {
  it('changes only the given settings', () => {
    expect(parseSettingsUpdate({ password: 'new', blockedPrefixes: ['999'] }, DEFAULT_SETTINGS)).toEqual({
      ok: true,
      value: { ...DEFAULT_SETTINGS, password: 'new', blockedPrefixes: ['999'] },
    });
  });

  it('lists every invalid field', () => {
    const result = parseSettingsUpdate(
      { user: 'a:b', password: 1, blockedPrefixes: ['+57'], queuedShare: -0.1, bodyStyle: 'xml' },
      DEFAULT_SETTINGS,
    );
    expect(!result.ok && result.problems).toEqual([
      'user: must be a non-empty string without a colon',
      'password: must be a string',
      'blockedPrefixes: must be an array of digit strings, such as ["57300"]',
      'queuedShare: must be a number from 0 to 1',
      'bodyStyle: must be one of json, text, empty',
    ]);
  });

  it('refuses an empty user, which Basic auth could not name', () => {
    expect(parseSettingsUpdate({ user: '' }, DEFAULT_SETTINGS).ok).toBe(false);
  });

  it('accepts an empty block list and an empty password', () => {
    expect(parseSettingsUpdate({ blockedPrefixes: [], password: '' }, DEFAULT_SETTINGS).ok).toBe(true);
  });
});
