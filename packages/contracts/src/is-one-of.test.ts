import { CALLBACK_STATUSES, isCallbackStatus } from './callback-event';
import { DEAD_LETTER_REASONS, isDeadLetterReason } from './dead-letter-reason';
import { isOneOf } from './is-one-of';
import { isMessageStatus, MESSAGE_STATUSES } from './message-status';
import { DELIVERY_MODES, isDeliveryMode, isSmsPriority, SMS_PRIORITIES } from './sms-request-fields';
import { isSmsEncoding, SMS_ENCODINGS } from './sms-segments';

describe.each([
  ['isMessageStatus', isMessageStatus, MESSAGE_STATUSES],
  ['isCallbackStatus', isCallbackStatus, CALLBACK_STATUSES],
  ['isDeadLetterReason', isDeadLetterReason, DEAD_LETTER_REASONS],
  ['isSmsPriority', isSmsPriority, SMS_PRIORITIES],
  ['isDeliveryMode', isDeliveryMode, DELIVERY_MODES],
  ['isSmsEncoding', isSmsEncoding, SMS_ENCODINGS],
] as const)('%s', (_name, isMember, members: readonly string[]) => {
  it.each(members)('accepts %s', (member) => {
    expect(isMember(member)).toBe(true);
  });

  it.each(['', 'bogus', 'constructor', 'toString', ' accepted', undefined, null, 0, {}])(
    'refuses %p',
    (value) => {
      expect(isMember(value)).toBe(false);
    },
  );
});

it('accepts only the members of the array it was built from', () => {
  const isColour = isOneOf(['red', 'green']);
  expect(['red', 'green', 'blue', 'RED'].filter(isColour)).toEqual(['red', 'green']);
});
