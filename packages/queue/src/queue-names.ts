/** The queue that holds messages waiting to be sent to Kaarai. */
export const SMS_QUEUE = 'sms';
/** Messages Kaarai refused for good, or that ran out of attempts; nothing consumes it. */
export const DEAD_LETTER_QUEUE = 'sms-dead-letter';
/** Name of the one kind of job on the send queue. */
export const SEND_JOB = 'send';
/** Name of the backoff strategy the worker registers and send jobs ask for. */
export const SEND_BACKOFF = 'sms-backoff';
/** Status callbacks waiting to be posted to clients' receivers: one job per message at a time. */
export const CALLBACK_QUEUE = 'callbacks';
/** Name of the one kind of job on the callback queue. */
export const CALLBACK_JOB = 'deliver';
/** Name of the backoff strategy the callback worker registers and callback jobs ask for. */
export const CALLBACK_BACKOFF = 'callback-backoff';
