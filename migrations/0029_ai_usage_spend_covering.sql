DROP INDEX `ai_usage_org_idx`;--> statement-breakpoint
CREATE INDEX `ai_usage_org_idx` ON `ai_usage` (`org_id`,`created_at`,`cost_micros`);