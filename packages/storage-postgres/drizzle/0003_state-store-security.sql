-- Row-level security for the state tables of 0002 (`state_values` and `state_schemas` have had it
-- since 0001), and the only reads and deletes of state across tenants: those of maintenance.
GRANT SELECT, INSERT, UPDATE, DELETE ON state_changes, state_schema_revisions TO memnex_app;
--> statement-breakpoint
DO $$
DECLARE
  tenant_table text;
BEGIN
  FOREACH tenant_table IN ARRAY ARRAY['state_changes', 'state_schema_revisions'] LOOP
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
-- The expiry sweep (`listExpired`) and history trimming (`trimHistory`) reach across tenants. A
-- transaction that sets `memnex.state_sweep` to `on`, and no tenant, may read state values and
-- changes of every tenant and delete changes; it can neither write a value nor touch schemas.
CREATE POLICY state_sweep ON state_values
  FOR SELECT
  USING (current_setting('memnex.state_sweep', true) = 'on');
--> statement-breakpoint
CREATE POLICY state_sweep ON state_changes
  FOR SELECT
  USING (current_setting('memnex.state_sweep', true) = 'on');
--> statement-breakpoint
CREATE POLICY state_trim ON state_changes
  FOR DELETE
  USING (current_setting('memnex.state_sweep', true) = 'on');
