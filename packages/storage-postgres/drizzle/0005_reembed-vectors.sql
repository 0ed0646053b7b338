CREATE TABLE "embedding_models" (
	"id" integer PRIMARY KEY NOT NULL,
	"active" jsonb NOT NULL,
	"target" jsonb,
	"previous" jsonb,
	"revision" bigint NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "memory_vectors" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"memory_id" text COLLATE "C" NOT NULL,
	"model" text NOT NULL,
	"dimensions" integer NOT NULL,
	"vector" "bytea" NOT NULL,
	CONSTRAINT "memory_vectors_tenant_id_memory_id_model_pk" PRIMARY KEY("tenant_id","memory_id","model")
);
--> statement-breakpoint
ALTER TABLE "memory_vectors" ADD CONSTRAINT "memory_vectors_entry_fk" FOREIGN KEY ("tenant_id","memory_id") REFERENCES "public"."memory_index"("tenant_id","memory_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- What drizzle-kit does not generate: the vectors kept in `memory_index` copied into
-- `memory_vectors`, the optional pgvector column, row-level security and grants, and the reads
-- across tenants that re-embedding makes.
--
-- The copy reads every tenant's entries: the policy that allows it comes first, and the
-- migration's transaction turns it on (`memnex.index_maintenance`), so the copy works for a
-- table owner that is not a superuser too.
CREATE POLICY index_maintenance ON memory_index
  FOR SELECT
  USING (current_setting('memnex.index_maintenance', true) = 'on');
--> statement-breakpoint
SELECT set_config('memnex.index_maintenance', 'on', true);
--> statement-breakpoint
INSERT INTO memory_vectors (tenant_id, memory_id, model, dimensions, vector)
SELECT tenant_id, memory_id, model, dimensions, vector FROM memory_index
WHERE model IS NOT NULL AND vector IS NOT NULL AND dimensions IS NOT NULL
ON CONFLICT DO NOTHING;
--> statement-breakpoint
-- pgvector is optional, as for `memory_index` before: where the extension is installed,
-- `memory_vectors` gets an `embedding` column and vector search runs in the database.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') THEN
    ALTER TABLE memory_vectors ADD COLUMN IF NOT EXISTS embedding vector;
    IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('memory_index')
        AND attname = 'embedding' AND NOT attisdropped) THEN
      EXECUTE 'UPDATE memory_vectors SET embedding = i.embedding FROM memory_index i '
        'WHERE i.tenant_id = memory_vectors.tenant_id AND i.memory_id = memory_vectors.memory_id '
        'AND i.model = memory_vectors.model';
    END IF;
  END IF;
END
$$;
--> statement-breakpoint
SELECT set_config('memnex.index_maintenance', '', true);
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON memory_vectors TO memnex_app;
--> statement-breakpoint
-- The models record is not tenant data: every instance reads it, a re-embed changes it.
GRANT SELECT, INSERT, UPDATE ON embedding_models TO memnex_app;
--> statement-breakpoint
ALTER TABLE memory_vectors ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE memory_vectors FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON memory_vectors
  USING (tenant_id = current_setting('memnex.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('memnex.tenant_id', true));
--> statement-breakpoint
-- Re-embedding pages through the entries of every tenant and counts their vectors; pruning
-- deletes the vectors of retired models everywhere. A transaction that sets
-- `memnex.index_maintenance` to `on` may read entries and vectors of every tenant and delete
-- vectors; it cannot write an entry or a vector: those are written per tenant, in its scope.
CREATE POLICY index_maintenance ON memory_vectors
  FOR SELECT
  USING (current_setting('memnex.index_maintenance', true) = 'on');
--> statement-breakpoint
CREATE POLICY index_prune ON memory_vectors
  FOR DELETE
  USING (current_setting('memnex.index_maintenance', true) = 'on');
