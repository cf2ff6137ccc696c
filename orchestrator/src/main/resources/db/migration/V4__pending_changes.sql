-- V4: the durable queue of pending changes (for both PostgreSQL and H2 in MODE=PostgreSQL).
-- No foreign keys to process or connection: a change is submitted before its process or
-- connection exists, and a TERMINATE or DELETE change outlives the row it removes.
CREATE TABLE pending_change (
  id CHAR(24) PRIMARY KEY,
  kind VARCHAR(32) NOT NULL,
  process_id CHAR(24),
  connection_id CHAR(24),
  user_id VARCHAR(255) NOT NULL,
  state VARCHAR(16) NOT NULL,
  attempts INT NOT NULL,
  max_attempts INT NOT NULL,
  last_error TEXT,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
  not_before TIMESTAMP WITH TIME ZONE NOT NULL,
  lease_owner VARCHAR(255),
  lease_until TIMESTAMP WITH TIME ZONE,
  payload TEXT NOT NULL
);

-- claim finds PENDING changes by not_before and RUNNING ones by lease end; the API lists by subject
CREATE INDEX pending_change_claim ON pending_change (state, not_before);
CREATE INDEX pending_change_lease ON pending_change (state, lease_until);
CREATE INDEX pending_change_process ON pending_change (process_id);
CREATE INDEX pending_change_connection ON pending_change (connection_id);
