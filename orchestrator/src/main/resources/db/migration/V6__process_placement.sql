-- V6: where a process runs and with what, and what a node has (for both PostgreSQL and H2 in
-- MODE=PostgreSQL). V5 is another change's; Flyway runs them in version order either way.

-- The target: a private node (target_node_id), a pool of public nodes (target_pool_id), or neither
-- for any public node. No foreign keys: a node row is never deleted, and a pool's processes are no
-- reason to keep an empty pool (they wait, unscheduled, as they would with its nodes gone).
ALTER TABLE process ADD COLUMN target_node_id VARCHAR(64);
ALTER TABLE process ADD COLUMN target_pool_id VARCHAR(64);
-- Reserved and the limit; 0 for none.
ALTER TABLE process ADD COLUMN memory_bytes BIGINT NOT NULL DEFAULT 0;
ALTER TABLE process ADD COLUMN nano_cpus BIGINT NOT NULL DEFAULT 0;
-- JSON arrays, read and written whole like configuration and interfaces.
ALTER TABLE process ADD COLUMN mounts TEXT NOT NULL DEFAULT '[]';
ALTER TABLE process ADD COLUMN ports TEXT NOT NULL DEFAULT '[]';
-- What the image is built for (JSON array; empty: unknown, as for the processes made before this).
ALTER TABLE process ADD COLUMN architectures TEXT NOT NULL DEFAULT '[]';
-- The node the reconciler last saw its task run on.
ALTER TABLE process ADD COLUMN runs_on VARCHAR(64);

-- Capacity as the Swarm reports it; 0 until the next sync has read it.
ALTER TABLE node ADD COLUMN memory_bytes BIGINT NOT NULL DEFAULT 0;
ALTER TABLE node ADD COLUMN nano_cpus BIGINT NOT NULL DEFAULT 0;
