CREATE TABLE `time_signoffs` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`project_id` text,
	`from_date` text NOT NULL,
	`to_date` text NOT NULL,
	`status` text NOT NULL,
	`message` text NOT NULL,
	`entry_count` integer NOT NULL,
	`total_minutes` integer NOT NULL,
	`billable_minutes` integer NOT NULL,
	`requested_by` text,
	`decided_by` text,
	`decided_at` integer,
	`comment` text NOT NULL,
	`reopened_by` text,
	`reopened_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`requested_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`decided_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`reopened_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `time_signoffs_org_ws_idx` ON `time_signoffs` (`org_id`,`workspace_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `finance_settings` ADD `logo_key` text;--> statement-breakpoint
ALTER TABLE `finance_settings` ADD `logo_type` text;--> statement-breakpoint
ALTER TABLE `finance_settings` ADD `logo_width` integer;--> statement-breakpoint
ALTER TABLE `finance_settings` ADD `logo_height` integer;--> statement-breakpoint
ALTER TABLE `finance_settings` ADD `logo_bytes` integer;--> statement-breakpoint
ALTER TABLE `time_entries` ADD `signoff_id` text;--> statement-breakpoint
CREATE INDEX `time_entries_signoff_idx` ON `time_entries` (`signoff_id`);