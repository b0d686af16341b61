import type { AcceptedMessageView, MessageOptionsView, SmsJobData } from '@sms/contracts';

/** The fields a send job and a status record both have, under the same names. */
type MessageOptions = Pick<
  SmsJobData,
  'priority' | 'delivery' | 'reference' | 'sendAt' | 'encoding' | 'segments'
>;

/** The options of a message as every answer about it shows them. */
export function optionsView(source: MessageOptions): MessageOptionsView {
  return {
    priority: source.priority ?? 'normal',
    delivery: source.delivery ?? 'at-least-once',
    ...(source.reference !== undefined && { reference: source.reference }),
    ...(source.sendAt !== undefined && { sendAt: new Date(source.sendAt).toISOString() }),
    ...(source.encoding !== undefined && { encoding: source.encoding }),
    ...(source.segments !== undefined && { segments: source.segments }),
  };
}

/** The 202 body of an accepted message. */
export function acceptedView(id: string, data: SmsJobData): AcceptedMessageView {
  return { id, status: data.sendAt === undefined ? 'queued' : 'scheduled', ...optionsView(data) };
}
