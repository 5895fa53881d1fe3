-- Schema "account": owned by the account service alone (the coordinator has its own schema).

-- Only the SHA-256 of a key is kept: a leaked table does not let anyone call the API.
CREATE TABLE api_keys (
    id          UUID PRIMARY KEY,
    key_hash    BYTEA NOT NULL UNIQUE CHECK (octet_length(key_hash) = 32),
    label       TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at  TIMESTAMPTZ
);

-- A row exists only once the coordinator reported the key as generated, so every account is usable.
CREATE TABLE accounts (
    id              UUID PRIMARY KEY,
    curve           TEXT NOT NULL CHECK (curve IN ('secp256k1', 'ed25519')),
    protocol        TEXT NOT NULL,
    key_id          TEXT NOT NULL UNIQUE,
    public_key      BYTEA NOT NULL,
    address         TEXT,
    label           TEXT,
    created_by      UUID NOT NULL REFERENCES api_keys (id),
    keygen_session  TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One row per authenticated request that asks for key material or a signature, refused ones included.
-- account_ref is free text without a foreign key: refused requests name accounts that may not exist.
CREATE TABLE audit_log (
    id            BIGSERIAL PRIMARY KEY,
    operation     TEXT NOT NULL CHECK (operation IN ('KEYGEN', 'SIGN')),
    api_key_id    UUID NOT NULL REFERENCES api_keys (id),
    account_ref   TEXT,
    digest        BYTEA,
    session_id    TEXT,
    outcome       TEXT NOT NULL,
    detail        TEXT,
    requested_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at   TIMESTAMPTZ
);

CREATE INDEX audit_log_account_ref ON audit_log (account_ref, requested_at);
