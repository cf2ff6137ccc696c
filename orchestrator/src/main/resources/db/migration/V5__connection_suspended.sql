-- V5: a connection can be suspended while one of its processes moves (for both PostgreSQL and H2
-- in MODE=PostgreSQL). Its other state is derived from its two ends, so this flag is all it needs.
ALTER TABLE connection ADD COLUMN suspended BOOLEAN NOT NULL DEFAULT FALSE;
