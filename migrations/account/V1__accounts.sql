-- account-service: accounts, API keys and the audit trail (schema "account", owned by this service only)

CREATE TABLE api_keys (
    key_id      text PRIMARY KEY,
    key_hash    bytea NOT NULL UNIQUE CHECK (length(key_hash) = 32),  -- SHA-256 of the key; the key itself is never stored
    name        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);

CREATE TABLE accounts (
    account_id  text PRIMARY KEY,
    curve       text NOT NULL,
    protocol    text NOT NULL,
    key_id      text NOT NULL UNIQUE,
    public_key  bytea NOT NULL,
    address     text,
    label       text,
    created_by  text NOT NULL REFERENCES api_keys (key_id),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- every signature request after authentication, accepted or not
CREATE TABLE signature_audit (
    audit_id        bigserial PRIMARY KEY,
    api_key_id      text NOT NULL,
    account_id      text NOT NULL,
    request_sha256  bytea NOT NULL,         -- SHA-256 of the hash or message asked to be signed
    session_id      text,
    outcome         text NOT NULL,          -- REQUESTED, SIGNED, FAILED, REFUSED
    detail          text,
    requested_at    timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz
);

CREATE INDEX signature_audit_account ON signature_audit (account_id, requested_at);
