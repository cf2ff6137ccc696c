-- V7: the state a process handed over when it was suspended for a move or an upgrade (WIRE.md
-- section 6, GoToProcessStateMessage SUSPENDED), kept until the process in its new container has
-- resumed from it. It goes with its process. (V5 and V6 are connections and placement.)
CREATE TABLE process_saved_state (
  process_id CHAR(24) PRIMARY KEY REFERENCES process (id) ON DELETE CASCADE,
  state_data BYTEA NOT NULL,
  service_version VARCHAR(128) NOT NULL,
  saved_at TIMESTAMP WITH TIME ZONE NOT NULL
);
