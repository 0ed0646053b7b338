CREATE TABLE "state_changes" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"key" text COLLATE "C" NOT NULL,
	"version" bigint NOT NULL,
	"kind" text NOT NULL,
	"value" jsonb,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" text NOT NULL,
	"expires_at" timestamp with time zone,
	"reason" text,
	CONSTRAINT "state_changes_tenant_id_key_version_pk" PRIMARY KEY("tenant_id","key","version")
);
--> statement-breakpoint
CREATE TABLE "state_schema_revisions" (
	"tenant_id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"revision" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "state_schemas" DROP CONSTRAINT "state_schemas_tenant_id_tenants_id_fk";
--> statement-breakpoint
ALTER TABLE "state_values" DROP CONSTRAINT "state_values_tenant_id_tenants_id_fk";
--> statement-breakpoint
DROP INDEX "state_values_tenant_expires_idx";--> statement-breakpoint
ALTER TABLE "state_values" ALTER COLUMN "value" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "state_values" ADD COLUMN "deleted" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "state_changes_updated_at_idx" ON "state_changes" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "state_values_expires_idx" ON "state_values" USING btree ("expires_at") WHERE "state_values"."expires_at" is not null and not "state_values"."deleted";--> statement-breakpoint
ALTER TABLE "state_schemas" DROP COLUMN "is_glob";--> statement-breakpoint
ALTER TABLE "state_schemas" DROP COLUMN "version";