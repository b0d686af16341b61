/** What a client or operator name may be: it becomes a metric label and part of Redis keys. */
export const CLIENT_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
