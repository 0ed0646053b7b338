-- What drizzle-kit does not generate: the application role, its grants, row-level tenant
-- isolation on every tenant table, and the optional pgvector column.
--
-- Memnex runs every query as `memnex_app` (SET LOCAL ROLE inside each transaction), a role that
-- owns nothing, so the policies below apply even when the connecting user owns the tables.
-- FORCE makes them apply to the owner as well. A transaction sees the rows of one tenant, the
-- one named by `memnex.tenant_id` (set with set_config(..., true)); with no tenant set it sees
-- nothing.
DO $$
BEGIN
  -- Roles are cluster-wide: it may exist already (created by an administrator, or by another
  -- database of the cluster, perhaps concurrently), and then needs no CREATEROLE privilege.
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'memnex_app') THEN
    CREATE ROLE memnex_app NOLOGIN;
  END IF;
EXCEPTION
  WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;
--> statement-breakpoint
DO $$
BEGIN
  -- A non-superuser that runs the migrations must be a member to SET ROLE memnex_app.
  GRANT memnex_app TO CURRENT_USER;
EXCEPTION
  WHEN insufficient_privilege OR invalid_grant_operation THEN NULL;
END
$$;
--> statement-breakpoint
DO $$
BEGIN
  GRANT USAGE ON SCHEMA public TO memnex_app;
EXCEPTION
  -- Only the schema's owner may grant; everyone has USAGE on public by default anyway.
  WHEN insufficient_privilege THEN NULL;
END
$$;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON
  tenants, api_keys, users, identifiers, memories, idempotency_records, state_values,
  state_schemas, memory_index
TO memnex_app;
--> statement-breakpoint
-- The ledger is append-only for the service: no UPDATE or DELETE, whatever the tenant.
GRANT SELECT, INSERT ON audit_entries TO memnex_app;
--> statement-breakpoint
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON tenants
  USING (id = current_setting('memnex.tenant_id', true))
  WITH CHECK (id = current_setting('memnex.tenant_id', true));
--> statement-breakpoint
DO $$
DECLARE
  tenant_table text;
BEGIN
  FOREACH tenant_table IN ARRAY ARRAY[
    'api_keys', 'users', 'identifiers', 'memories', 'idempotency_records', 'state_values',
    'state_schemas', 'audit_entries', 'memory_index'
  ] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', tenant_table);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', tenant_table);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I '
      'USING (tenant_id = current_setting(''memnex.tenant_id'', true)) '
      'WITH CHECK (tenant_id = current_setting(''memnex.tenant_id'', true))',
      tenant_table
    );
  END LOOP;
END
$$;
--> statement-breakpoint
-- The one read across tenants: authentication finds a key by its id before it knows the
-- tenant. The transaction names the key it looks for in `memnex.api_key_id` and may read that
-- row only; it cannot list keys, and the secret is stored as a hash.
CREATE POLICY api_key_lookup ON api_keys
  FOR SELECT
  USING (id = current_setting('memnex.api_key_id', true));
--> statement-breakpoint
-- pgvector is optional: where the extension can be installed, `memory_index` gets an
-- `embedding` column and vector search runs in the database; elsewhere vectors stay in the
-- `vector` bytea column and are scored in process.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') THEN
    BEGIN
      CREATE EXTENSION IF NOT EXISTS vector;
    EXCEPTION
      WHEN insufficient_privilege THEN
        RAISE NOTICE 'pgvector is available but could not be installed; using exact search in process';
    END;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') THEN
    ALTER TABLE memory_index ADD COLUMN IF NOT EXISTS embedding vector;
  END IF;
END
$$;
