/** What a generated kannel.conf needs to know. */
export interface KannelConfigOptions {
  /** Folder of the store file and the logs. */
  readonly dir: string;
  readonly adminPort: number;
  /** The port bearerbox listens on for smsbox. */
  readonly smsboxPort: number;
  /** smsbox's HTTP `sendsms` interface. */
  readonly sendsmsPort: number;
  /** The sink's HTTPS send URL, e.g. `https://127.0.0.1:41234/api/v1/sms/send`. */
  readonly sinkUrl: string;
  /** PEM certificate Kannel trusts for the sink. */
  readonly sinkCaFile: string;
  /** Requests to the sink in flight at once. */
  readonly inFlight: number;
}

export const KANNEL_ADMIN_PASSWORD = 'bench-admin';
export const KANNEL_SMSC_ID = 'kaarai';
/** The `sendsms-user` the clients authenticate as (in the query string, as Kannel's clients do). */
export const KANNEL_SENDSMS_USER = { username: 'bench', password: 'bench-secret' } as const;
/** The Basic credentials the sink (the simulator's checks) accepts. */
const SINK_USER = 'gateway';
const SINK_PASSWORD = 'secret';

/**
 * A kannel.conf (Kannel 1.4.5 user guide, chapters 6 and 7) for the comparison: bearerbox with a
 * durable store (`store-type = file`: every message written to the store file before smsbox gets
 * its acknowledgement, so a `202` means "in the store file"), one HTTP SMSC of the generic type
 * that GETs the sink over HTTPS with keep-alive (gwlib's connection pool) and at most `inFlight`
 * requests outstanding (`max-pending-submits`), no throughput limit; smsbox's `sendsms` interface,
 * answering only once bearerbox has the message (the default, `immediate-sendsms-reply = false`).
 * Both boxes log at info (`log-level = 1`) to their files, with an access log, as in production.
 */
export function kannelConfig(options: KannelConfigOptions): string {
  const { dir } = options;
  const sink = new URL(options.sinkUrl);
  // %p is the receiver of a message going out, %b its text, URL-encoded (user guide, "Parameters
  // (Escape Codes)"); the answer body's code tells success from failure (`.` stands for the quote
  // after "code", which Kannel's configuration strings cannot hold).
  const sendUrl = `https://${SINK_USER}:${SINK_PASSWORD}@${sink.host}${sink.pathname}?to=%p&text=%b`;
  return `group = core
admin-port = ${options.adminPort}
admin-interface = "127.0.0.1"
admin-password = "${KANNEL_ADMIN_PASSWORD}"
smsbox-port = ${options.smsboxPort}
smsbox-interface = "127.0.0.1"
box-allow-ip = "127.0.0.1"
log-file = "${dir}/bearerbox.log"
log-level = 1
access-log = "${dir}/access.log"
store-type = file
store-location = "${dir}/kannel.store"
ssl-trusted-ca-file = "${options.sinkCaFile}"

group = smsc
smsc = http
smsc-id = ${KANNEL_SMSC_ID}
system-type = generic
send-url = "${sendUrl}"
status-success-regex = "code.:202[01]"
status-permfail-regex = "code.:4"
status-tempfail-regex = "code.:5"
max-pending-submits = ${options.inFlight}

group = smsbox
bearerbox-host = "127.0.0.1"
bearerbox-port = ${options.smsboxPort}
sendsms-port = ${options.sendsmsPort}
sendsms-interface = "127.0.0.1"
global-sender = "8123"
log-file = "${dir}/smsbox.log"
log-level = 1
access-log = "${dir}/smsbox-access.log"

group = sendsms-user
username = "${KANNEL_SENDSMS_USER.username}"
password = "${KANNEL_SENDSMS_USER.password}"
`;
}
