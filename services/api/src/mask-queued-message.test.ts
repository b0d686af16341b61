import { maskQueuedMessage } from './mask-queued-message';

describe('maskQueuedMessage', () => {
  it('masks the receiver as status answers do and hides the text, keeping its length', () => {
    expect(
      maskQueuedMessage({ to: '573001234567', text: 'Your code is 1234', client: 'billing', acceptedAt: 1 }),
    ).toEqual({ to: '5730******67', text: '(hidden: 17 characters)', client: 'billing', acceptedAt: 1 });
  });

  it('masks a sender that is a number and keeps an alphanumeric sender id', () => {
    expect(maskQueuedMessage({ to: '573001234567', from: '573009876543', text: '' })).toMatchObject({
      from: '5730******43',
    });
    expect(maskQueuedMessage({ to: '573001234567', from: 'ACME', text: '' })).toMatchObject({ from: 'ACME' });
  });

  it('counts characters, not UTF-16 units, in the length it shows', () => {
    expect(maskQueuedMessage({ text: 'ok 👍' })).toEqual({ text: '(hidden: 4 characters)' });
  });

  it('leaves the fields of a dead letter that are not the message as they are', () => {
    const entry = {
      to: '9991234567',
      text: 'refused',
      reason: 'rejected',
      code: 4031,
      message: 'Not routable',
    };
    expect(maskQueuedMessage(entry)).toEqual({
      to: '9991****67',
      text: '(hidden: 7 characters)',
      reason: 'rejected',
      code: 4031,
      message: 'Not routable',
    });
  });

  it('does not change the job it was given', () => {
    const data = { to: '573001234567', text: 'secret' };
    maskQueuedMessage(data);
    expect(data).toEqual({ to: '573001234567', text: 'secret' });
  });

  it.each([
    ['null', null],
    ['a string', 'text'],
    ['a number', 3],
    ['an array', ['573001234567']],
  ])('passes %s through', (_name, data) => {
    expect(maskQueuedMessage(data)).toEqual(data);
  });
});
