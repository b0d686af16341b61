-- Up Migration
-- The message's delivery mode, absent (NULL) for at-least-once, as in Redis: look-ups of an archived
-- at-most-once message say so, and why it may have ended `unknown`.
ALTER TABLE sms_messages ADD COLUMN delivery text;

-- Down Migration
ALTER TABLE sms_messages DROP COLUMN delivery;
