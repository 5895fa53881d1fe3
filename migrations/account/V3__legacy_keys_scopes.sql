-- Issue 17, item 8: V2 gave every key that existed before tenants all three scopes, admin among
-- them. Before V2 there was no API to manage keys: those keys could read and sign, nothing more.
-- Only the bootstrap key (registered by the service itself under the label 'bootstrap') is an
-- admin; keys made since V2 name their creator and keep the scopes they were given.
UPDATE api_keys SET scopes = ARRAY['read', 'sign']
 WHERE created_by IS NULL AND label <> 'bootstrap' AND 'admin' = ANY (scopes);
