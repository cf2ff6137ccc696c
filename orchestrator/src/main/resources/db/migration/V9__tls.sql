-- V9: the TLS addition to the wire contracts (docs/wire-additions.md, "TLS"), for both PostgreSQL
-- and H2 in MODE=PostgreSQL.
--
-- The deployment's one certificate authority: every instance sharing this database signs with its
-- key. One row at most (id = 1): two instances starting at once both try to insert it, one wins,
-- and both read back the winner's. The key is as secret as the database itself.
CREATE TABLE certificate_authority (
  id SMALLINT PRIMARY KEY CHECK (id = 1),
  certificate BYTEA NOT NULL,
  private_key BYTEA NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Whether the process's last trigger call said X-Defpi-Tls: 1 (it holds a certificate).
ALTER TABLE process ADD COLUMN tls BOOLEAN NOT NULL DEFAULT FALSE;

-- Whether the orchestrator last told each end of the connection tls = true (CREATE or RESUME).
ALTER TABLE connection ADD COLUMN tls_1 BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE connection ADD COLUMN tls_2 BOOLEAN NOT NULL DEFAULT FALSE;
