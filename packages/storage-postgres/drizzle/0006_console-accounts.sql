CREATE TABLE "accounts" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"id" text COLLATE "C" NOT NULL,
	"email" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"last_login_at" timestamp with time zone,
	CONSTRAINT "accounts_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "usage_counts" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"reads" bigint DEFAULT 0 NOT NULL,
	"writes" bigint DEFAULT 0 NOT NULL,
	"cache_hits" bigint DEFAULT 0 NOT NULL,
	"cache_misses" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "usage_counts_tenant_id_hour_pk" PRIMARY KEY("tenant_id","hour")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_id_key" ON "accounts" USING btree ("id");--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_email_key" ON "accounts" USING btree ("email");--> statement-breakpoint
-- What drizzle-kit does not generate: grants and row-level security for the console's tables.
GRANT SELECT, INSERT, UPDATE ON accounts TO memnex_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON usage_counts TO memnex_app;
--> statement-breakpoint
DO $$
DECLARE
  tenant_table text;
BEGIN
  FOREACH tenant_table IN ARRAY ARRAY['accounts', 'usage_counts'] LOOP
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
-- Signing in finds an account by its e-mail before it knows the tenant. The transaction names
-- the e-mail in `memnex.account_email` and may read that one row only: it cannot list accounts,
-- and passwords are stored as slow, salted hashes.
CREATE POLICY account_lookup ON accounts
  FOR SELECT
  USING (email = current_setting('memnex.account_email', true));
