-- V1: the schema the orchestrator created itself before migrations existed. Written for both
-- PostgreSQL and H2 (run in MODE=PostgreSQL). IF NOT EXISTS because a database made by those
-- versions already has these tables: Flyway baselines it at version 0 and runs this as a no-op.
CREATE TABLE IF NOT EXISTS process (
  id CHAR(24) PRIMARY KEY,
  service_id VARCHAR(255) NOT NULL,
  name VARCHAR(255) NOT NULL,
  version VARCHAR(128) NOT NULL,
  user_id VARCHAR(64) NOT NULL,
  state VARCHAR(16) NOT NULL,
  reason TEXT,
  configuration TEXT NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  image VARCHAR(1024) NOT NULL,
  interfaces TEXT NOT NULL,
  token VARCHAR(128) NOT NULL
);

CREATE TABLE IF NOT EXISTS connection (
  id CHAR(24) PRIMARY KEY,
  listen_port INT NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  process_id_1 CHAR(24) NOT NULL,
  interface_id_1 VARCHAR(512) NOT NULL,
  version_name_1 VARCHAR(255) NOT NULL,
  receives_hash_1 VARCHAR(128) NOT NULL,
  sends_hash_1 VARCHAR(128) NOT NULL,
  created_1 BOOLEAN NOT NULL,
  failure_1 TEXT,
  process_id_2 CHAR(24) NOT NULL,
  interface_id_2 VARCHAR(512) NOT NULL,
  version_name_2 VARCHAR(255) NOT NULL,
  receives_hash_2 VARCHAR(128) NOT NULL,
  sends_hash_2 VARCHAR(128) NOT NULL,
  created_2 BOOLEAN NOT NULL,
  failure_2 TEXT
);

CREATE INDEX IF NOT EXISTS connection_process_1 ON connection (process_id_1);
CREATE INDEX IF NOT EXISTS connection_process_2 ON connection (process_id_2);
