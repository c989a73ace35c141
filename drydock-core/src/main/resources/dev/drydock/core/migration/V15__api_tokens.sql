-- Bearer tokens of the HTTP API (DESIGN §13). A token's secret is shown once, when it is made; only
-- its SHA-256 is kept (the secret is 256 random bits, so a fast hash is as strong as a slow one, and
-- a lookup by hash is one index probe). A revoked token stays, so the history can still name it.
CREATE TABLE dd_api_token (
    id            bigserial   PRIMARY KEY,
    name          text        NOT NULL CHECK (name ~ '^[a-z][a-z0-9-]{0,62}$'),
    scope         text        NOT NULL CHECK (scope IN ('read', 'lease', 'admin')),
    secret_sha256 bytea       NOT NULL UNIQUE CHECK (length(secret_sha256) = 32),
    created_at    timestamptz NOT NULL DEFAULT now(),
    revoked_at    timestamptz
);
-- A name names one live token; a revoked one's name may be given again.
CREATE UNIQUE INDEX dd_api_token_live_name ON dd_api_token (name) WHERE revoked_at IS NULL;

-- The token that acquired a lease over HTTP: only it, or an admin token, may use or release it.
CREATE TABLE dd_api_lease (
    lease_id bigint PRIMARY KEY REFERENCES dd_lease (id) ON DELETE CASCADE,
    token_id bigint NOT NULL REFERENCES dd_api_token (id)
);
CREATE INDEX dd_api_lease_token ON dd_api_lease (token_id);
