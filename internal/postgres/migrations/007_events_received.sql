-- ForgetEvents deletes the ids of events received half a year ago and
-- more: by the time they were received, without reading them all.
CREATE INDEX events_received ON events (received_at);
