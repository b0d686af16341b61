import type { KaaraiCode } from '@sms/contracts';

/** One message the simulator accepted (answered 2020 or 2021), as `GET /messages` shows it. */
export interface SimulatorMessage {
  /** Made up by the simulator; Kaarai's answers carry no id. */
  readonly id: string;
  readonly to: string;
  /** `null` when the request had no `from`. */
  readonly from: string | null;
  readonly text: string;
  readonly code: 2020 | 2021;
  /** ISO 8601 time the request was taken. */
  readonly receivedAt: string;
  /** The Basic-auth user that sent it. */
  readonly authUser: string;
}

/** What `GET /messages` answers. */
export interface SimulatorMessageList {
  /** Messages accepted since the last reset, including those the record no longer holds. */
  readonly total: number;
  /** The messages the record still holds, oldest first. */
  readonly messages: SimulatorMessage[];
}

/** What `GET /stats` answers: what the send endpoint did since the start or the last reset. */
export interface SimulatorStats {
  /** Requests on the Kaarai ports (HTTP and HTTPS), any path or method. */
  readonly requests: number;
  /** Answers sent, by Kaarai code (in JSON the keys are the codes as strings). */
  readonly answers: Readonly<Partial<Record<KaaraiCode, number>>>;
  /** Requests read and never answered (hang fault). */
  readonly hung: number;
  /** Connections reset instead of answering, before processing (drop fault). */
  readonly dropped: number;
  /** Requests processed (and recorded if accepted) whose answer was lost (lose-answer fault). */
  readonly answersLost: number;
  /** Messages accepted since the last reset, including those the record no longer holds. */
  readonly recorded: number;
  /** ISO 8601 time of the start or of the last reset. */
  readonly since: string;
}
