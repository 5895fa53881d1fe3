-- session-coordinator: DKLs23 presignatures made ahead of time (the parties hold the secret halves,
-- sealed; this table only knows which exist, for which key and signers, and their public R)

-- the presignature a SIGN session uses (NULL: a full online run) and its joint instance key R
ALTER TABLE sessions ADD COLUMN presignature_id text;
ALTER TABLE sessions ADD COLUMN instance_key bytea;

ALTER TABLE session_members ADD COLUMN result_instance_key bytea;
ALTER TABLE session_members ADD COLUMN result_signature_share bytea;

-- ready presignatures; a row is deleted in the same transaction that creates the SIGN session
-- using it, so no two sessions can ever be handed the same one
CREATE TABLE presignatures (
    presignature_id  text PRIMARY KEY,
    key_id           text NOT NULL REFERENCES keys (key_id),
    party_ids        text[] NOT NULL,
    indices          int[]  NOT NULL,
    instance_key     bytea NOT NULL CHECK (length(instance_key) = 33),
    created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX presignatures_by_key ON presignatures (key_id, created_at);

-- open sessions of one key and kind (presignatures in the making, refreshes under way)
CREATE INDEX sessions_open_by_key ON sessions (key_id, kind) WHERE status IN ('PENDING', 'RUNNING');
