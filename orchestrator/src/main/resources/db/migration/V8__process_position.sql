-- V8: where each user placed processes on the web canvas (GET and PUT /user/me/layout), for both
-- PostgreSQL and H2 in MODE=PostgreSQL. Kept per viewer and process: an admin looking at another
-- user's environment keeps positions of their own, and the user theirs. A position goes with its
-- process (its row is deleted when its teardown is done) and with its viewer (DELETE /user).
CREATE TABLE process_position (
  viewer_id CHAR(24) NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  process_id CHAR(24) NOT NULL REFERENCES process (id) ON DELETE CASCADE,
  x DOUBLE PRECISION NOT NULL,
  y DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (viewer_id, process_id)
);

-- the cascade from a process looks its positions up by process
CREATE INDEX process_position_process ON process_position (process_id);
