-- session-coordinator: the client's signed authorization of a KEYGEN or SIGN session (a serialised
-- SignedAuthorization), passed on unchanged to the parties, which refuse sessions without a valid one
ALTER TABLE sessions ADD COLUMN client_authorization bytea;
