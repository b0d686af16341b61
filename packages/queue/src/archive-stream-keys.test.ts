import { redisKeyPrefix } from '@sms/config';
import calculateSlot from 'cluster-key-slot';
import { archiveStreamKeys } from './archive-stream-keys';

it('puts the archive keys in the slot of every other key of the gateway', () => {
  const prefix = redisKeyPrefix('sms');
  const slots = new Set(
    [...Object.values(archiveStreamKeys(prefix)), `${prefix}:status:m`, `${prefix}:ref:c:x`].map((key) =>
      calculateSlot(key),
    ),
  );
  expect(slots.size).toBe(1);
});
