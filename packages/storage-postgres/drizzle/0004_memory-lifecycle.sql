CREATE TABLE "leases" (
	"name" text PRIMARY KEY NOT NULL,
	"holder" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "memories_expires_idx" ON "memories" USING btree ("expires_at") WHERE "memories"."expires_at" is not null;
--> statement-breakpoint
-- Leases name jobs, not tenants' rows: every instance may take and renew them.
GRANT SELECT, INSERT, UPDATE, DELETE ON leases TO memnex_app;
--> statement-breakpoint
-- The retention sweep finds expired memories across tenants. A transaction that sets
-- `memnex.memory_sweep` to `on`, and no tenant, may read memories of every tenant; it cannot
-- write one: the expiry and the deletion run per tenant, in that tenant's scope.
CREATE POLICY memory_sweep ON memories
  FOR SELECT
  USING (current_setting('memnex.memory_sweep', true) = 'on');
