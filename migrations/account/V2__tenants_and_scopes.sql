-- Tenant isolation and scopes (issue 11, item 7).
-- Every API key belongs to a tenant and carries scopes: read (GET accounts), sign (create
-- accounts, sign), admin (manage API keys). An account belongs to the tenant of the key that
-- created it, and only that tenant's keys can read it or sign with it.
-- Existing rows: tenant 'default'; existing keys keep every right they had (all scopes).

ALTER TABLE api_keys ADD COLUMN tenant TEXT NOT NULL DEFAULT 'default'
    CHECK (tenant ~ '^[a-z0-9][a-z0-9._-]{0,62}$');
ALTER TABLE api_keys ADD COLUMN scopes TEXT[] NOT NULL DEFAULT ARRAY['read', 'sign', 'admin']
    CHECK (cardinality(scopes) > 0 AND scopes <@ ARRAY['read', 'sign', 'admin']);
-- new keys name their tenant and scopes explicitly
ALTER TABLE api_keys ALTER COLUMN tenant DROP DEFAULT;
ALTER TABLE api_keys ALTER COLUMN scopes DROP DEFAULT;
-- who made a key (NULL: the bootstrap key and keys from before this migration)
ALTER TABLE api_keys ADD COLUMN created_by UUID REFERENCES api_keys (id);

ALTER TABLE accounts ADD COLUMN tenant TEXT NOT NULL DEFAULT 'default';
ALTER TABLE accounts ALTER COLUMN tenant DROP DEFAULT;
CREATE INDEX accounts_tenant ON accounts (tenant, created_at);
