import { ConfigError } from './load-config';

// Environments and helpers shared by this package's tests.

export const workerEnv = {
  KAARAI_URL: 'https://kaarai.example/api/v1/sms/send',
  KAARAI_USER: 'gateway',
  KAARAI_PASSWORD: 's3cret',
};

/** The problems a ConfigError lists; fails when `load` throws nothing or something else. */
export function problemsOf(load: () => unknown): readonly string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
