-- Up Migration
-- Final status records moved out of Redis: one row per message, partitioned by the UTC day of its
-- acceptance so that retention drops whole partitions (no DELETE, no vacuum debt). Partitions
-- (sms_messages_YYYYMMDD) are created by the archiver ahead of time and by each write that needs one.
CREATE TABLE sms_messages (
  id uuid NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  client text NOT NULL,
  -- The receiver, masked as in Redis: the archive never holds a full number either.
  recipient text NOT NULL,
  status text NOT NULL,
  attempts integer NOT NULL,
  last_code integer,
  last_message text,
  priority text,
  reference text,
  send_at timestamptz,
  encoding text,
  segments integer,
  -- The attempts list, oldest first, as the dead-letter views show it.
  history jsonb NOT NULL DEFAULT '[]',
  PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);

-- GET /v1/sms?reference=: a client's messages with one reference, most recent first.
CREATE INDEX sms_messages_client_reference ON sms_messages (client, reference, created_at DESC)
  WHERE reference IS NOT NULL;

-- Down Migration
DROP TABLE sms_messages;
