-- V2: Swarm nodes and node pools (for both PostgreSQL and H2 in MODE=PostgreSQL).
-- A node row is never deleted: a node the Swarm no longer lists is marked MISSING.
CREATE TABLE node_pool (
  id VARCHAR(64) PRIMARY KEY,
  name VARCHAR(255) NOT NULL UNIQUE
);

CREATE TABLE node (
  id VARCHAR(64) PRIMARY KEY,
  hostname VARCHAR(255) NOT NULL,
  architecture VARCHAR(32) NOT NULL,
  status VARCHAR(16) NOT NULL,
  kind VARCHAR(16) NOT NULL,
  -- no ON DELETE: a pool with nodes cannot be deleted
  pool_id VARCHAR(64) REFERENCES node_pool (id),
  owner_user_id VARCHAR(255),
  last_seen TIMESTAMP WITH TIME ZONE NOT NULL
);
