-- V3: users and their API tokens (for both PostgreSQL and H2 in MODE=PostgreSQL).
-- "user" is reserved in PostgreSQL, hence app_user.
CREATE TABLE app_user (
  id CHAR(24) PRIMARY KEY,
  name VARCHAR(64) NOT NULL UNIQUE,
  role VARCHAR(16) NOT NULL,
  email VARCHAR(255),
  -- bcrypt, never the password
  password_hash VARCHAR(60) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- A token is kept as its SHA-256 (hex) only. Deleting a user revokes their tokens.
CREATE TABLE api_token (
  token_hash CHAR(64) PRIMARY KEY,
  user_id CHAR(24) NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX api_token_user ON api_token (user_id);
CREATE INDEX process_user ON process (user_id);
