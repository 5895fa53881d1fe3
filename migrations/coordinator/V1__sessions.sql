-- session-coordinator: parties, keys and sessions (schema "coordinator", owned by this service only)

CREATE TABLE parties (
    party_id        text PRIMARY KEY,
    signing_key     bytea NOT NULL CHECK (length(signing_key) = 32),
    encryption_key  bytea NOT NULL CHECK (length(encryption_key) = 32),
    registered_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE keys (
    key_id      text PRIMARY KEY,
    protocol    text NOT NULL,
    threshold   int  NOT NULL,
    parties     int  NOT NULL,
    public_key  bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- which party holds which share index of a key
CREATE TABLE key_members (
    key_id    text NOT NULL REFERENCES keys (key_id),
    party_id  text NOT NULL REFERENCES parties (party_id),
    idx       int  NOT NULL,
    PRIMARY KEY (key_id, party_id),
    UNIQUE (key_id, idx)
);

CREATE TABLE sessions (
    session_id        text PRIMARY KEY,
    kind              text NOT NULL,
    protocol          text NOT NULL,
    threshold         int  NOT NULL,
    parties           int  NOT NULL,
    key_id            text NOT NULL,
    message           bytea NOT NULL DEFAULT ''::bytea,
    status            text NOT NULL,
    public_key        bytea,
    signature         bytea,
    recovery_id       int,
    failure_reason    text,
    culprit_party_id  text,
    created_at        timestamptz NOT NULL,
    deadline          timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL
);

CREATE INDEX sessions_open ON sessions (deadline) WHERE status IN ('PENDING', 'RUNNING');

-- the roster as it was when the session was created (identity keys included), and each member's outcome
CREATE TABLE session_members (
    session_id          text NOT NULL REFERENCES sessions (session_id) ON DELETE CASCADE,
    party_id            text NOT NULL,
    idx                 int  NOT NULL,
    signing_key         bytea NOT NULL,
    encryption_key      bytea NOT NULL,
    joined_at           timestamptz,
    reported_at         timestamptz,
    succeeded           boolean,
    result_public_key   bytea,
    result_signature    bytea,
    result_recovery_id  int,
    failure_reason      text,
    culprit_party_id    text,
    PRIMARY KEY (session_id, party_id)
);

CREATE INDEX session_members_party ON session_members (party_id) WHERE reported_at IS NULL;
