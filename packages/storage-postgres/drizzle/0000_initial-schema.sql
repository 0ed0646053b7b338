CREATE TABLE "api_keys" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"id" text COLLATE "C" NOT NULL,
	"label" text NOT NULL,
	"secret_hash" text NOT NULL,
	"scopes" text[] NOT NULL,
	"default_channel" text,
	"pinned_user_id" text,
	"environment" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_keys_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "audit_entries" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"seq" bigint NOT NULL,
	"ts" text NOT NULL,
	"op" text NOT NULL,
	"actor" text NOT NULL,
	"subject" text,
	"payload" json NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	"mac" text NOT NULL,
	"key_id" text NOT NULL,
	CONSTRAINT "audit_entries_tenant_id_seq_pk" PRIMARY KEY("tenant_id","seq")
);
--> statement-breakpoint
CREATE TABLE "idempotency_records" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"key" text NOT NULL,
	"user_id" text COLLATE "C" NOT NULL,
	"request_hash" text NOT NULL,
	"result" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "idempotency_records_tenant_id_key_pk" PRIMARY KEY("tenant_id","key")
);
--> statement-breakpoint
CREATE TABLE "identifiers" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"namespace" text COLLATE "C" NOT NULL,
	"value" text COLLATE "C" NOT NULL,
	"user_id" text COLLATE "C" NOT NULL,
	"channel" text NOT NULL,
	"linked_at" timestamp with time zone NOT NULL,
	CONSTRAINT "identifiers_tenant_id_namespace_value_pk" PRIMARY KEY("tenant_id","namespace","value")
);
--> statement-breakpoint
CREATE TABLE "memories" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"id" text COLLATE "C" NOT NULL,
	"user_id" text COLLATE "C" NOT NULL,
	"kind" text NOT NULL,
	"type" text NOT NULL,
	"text" text NOT NULL,
	"content_hash" text NOT NULL,
	"slot" text,
	"entities" text[] NOT NULL,
	"confidence" double precision NOT NULL,
	"salience" double precision NOT NULL,
	"trust" text NOT NULL,
	"source_channel" text,
	"source_agent_id" text,
	"source_session_id" text,
	"source_message_ids" text[] NOT NULL,
	"observed_at" timestamp with time zone NOT NULL,
	"valid_from" timestamp with time zone NOT NULL,
	"valid_to" timestamp with time zone,
	"superseded_by" text COLLATE "C",
	"status" text NOT NULL,
	"expires_at" timestamp with time zone,
	"pii_fields" text[] NOT NULL,
	"metadata" jsonb NOT NULL,
	"embedding_model" text,
	"seen_count" integer NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "memories_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "memory_index" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"memory_id" text COLLATE "C" NOT NULL,
	"user_id" text COLLATE "C" NOT NULL,
	"text" text NOT NULL,
	"context" text,
	"type" text NOT NULL,
	"kind" text NOT NULL,
	"current" boolean NOT NULL,
	"observed_at" timestamp with time zone NOT NULL,
	"model" text,
	"vector" "bytea",
	"dimensions" integer,
	"document" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('english'::regconfig, "text"), 'A') || setweight(to_tsvector('english'::regconfig, coalesce("context", '')), 'B')) STORED NOT NULL,
	CONSTRAINT "memory_index_tenant_id_memory_id_pk" PRIMARY KEY("tenant_id","memory_id")
);
--> statement-breakpoint
CREATE TABLE "state_schemas" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"pattern" text COLLATE "C" NOT NULL,
	"is_glob" boolean NOT NULL,
	"schema" jsonb NOT NULL,
	"version" bigint NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" text NOT NULL,
	CONSTRAINT "state_schemas_tenant_id_pattern_pk" PRIMARY KEY("tenant_id","pattern")
);
--> statement-breakpoint
CREATE TABLE "state_values" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"key" text COLLATE "C" NOT NULL,
	"value" jsonb NOT NULL,
	"version" bigint NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" text NOT NULL,
	"expires_at" timestamp with time zone,
	CONSTRAINT "state_values_tenant_id_key_pk" PRIMARY KEY("tenant_id","key")
);
--> statement-breakpoint
CREATE TABLE "tenants" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"disabled" boolean DEFAULT false NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"id" text COLLATE "C" NOT NULL,
	"external_id" text NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL,
	"merged_into" text COLLATE "C",
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "users_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idempotency_records" ADD CONSTRAINT "idempotency_records_user_fk" FOREIGN KEY ("tenant_id","user_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identifiers" ADD CONSTRAINT "identifiers_user_fk" FOREIGN KEY ("tenant_id","user_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memories" ADD CONSTRAINT "memories_user_fk" FOREIGN KEY ("tenant_id","user_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "state_schemas" ADD CONSTRAINT "state_schemas_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "state_values" ADD CONSTRAINT "state_values_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_merged_into_fk" FOREIGN KEY ("tenant_id","merged_into") REFERENCES "public"."users"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_id_key" ON "api_keys" USING btree ("id");--> statement-breakpoint
CREATE INDEX "audit_entries_tenant_op_seq_idx" ON "audit_entries" USING btree ("tenant_id","op","seq");--> statement-breakpoint
CREATE INDEX "idempotency_records_tenant_user_idx" ON "idempotency_records" USING btree ("tenant_id","user_id");--> statement-breakpoint
CREATE INDEX "identifiers_tenant_user_idx" ON "identifiers" USING btree ("tenant_id","user_id");--> statement-breakpoint
CREATE INDEX "memories_tenant_user_observed_idx" ON "memories" USING btree ("tenant_id","user_id","observed_at","id");--> statement-breakpoint
CREATE INDEX "memories_tenant_expires_idx" ON "memories" USING btree ("tenant_id","expires_at") WHERE "memories"."expires_at" is not null;--> statement-breakpoint
CREATE INDEX "memory_index_tenant_user_model_idx" ON "memory_index" USING btree ("tenant_id","user_id","model");--> statement-breakpoint
CREATE INDEX "memory_index_document_idx" ON "memory_index" USING gin ("document");--> statement-breakpoint
CREATE INDEX "state_values_tenant_expires_idx" ON "state_values" USING btree ("tenant_id","expires_at") WHERE "state_values"."expires_at" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "users_tenant_external_id_key" ON "users" USING btree ("tenant_id","external_id");--> statement-breakpoint
CREATE INDEX "users_tenant_merged_into_idx" ON "users" USING btree ("tenant_id","merged_into");