export { classifyAnswer, classifyFailure, parseRetryAfter } from './classify-kaarai-answer';
export { KaaraiClient, type KaaraiClientOptions, type SmsToSend } from './kaarai-client';
export type { AnsweredOutcome, KaaraiOutcome, NoAnswerOutcome } from './kaarai-outcome';
export { type ParsedAnswer, parseKaaraiAnswer } from './parse-kaarai-answer';
