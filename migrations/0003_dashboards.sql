CREATE TABLE `dashboard_layouts` (
	`workspace_id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`widgets` text NOT NULL,
	`updated_by` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE TABLE `metric_rollups` (
	`integration_id` text NOT NULL,
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`source` text NOT NULL,
	`metric` text NOT NULL,
	`dimension` text NOT NULL,
	`dimension_value` text NOT NULL,
	`label` text,
	`day` text NOT NULL,
	`currency` text NOT NULL,
	`value` real NOT NULL,
	PRIMARY KEY(`integration_id`, `metric`, `dimension`, `dimension_value`, `day`, `currency`),
	FOREIGN KEY (`integration_id`) REFERENCES `integrations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `metric_rollups_ws_idx` ON `metric_rollups` (`workspace_id`,`dimension`,`metric`,`day`);--> statement-breakpoint
CREATE TABLE `rollup_pending_days` (
	`integration_id` text NOT NULL,
	`kind` text NOT NULL,
	`day` text NOT NULL,
	PRIMARY KEY(`integration_id`, `kind`, `day`),
	FOREIGN KEY (`integration_id`) REFERENCES `integrations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `tz_offsets` (
	`time_zone` text NOT NULL,
	`from_ms` integer NOT NULL,
	`offset_minutes` integer NOT NULL,
	PRIMARY KEY(`time_zone`, `from_ms`)
);
--> statement-breakpoint
ALTER TABLE `workspaces` ADD `time_zone` text DEFAULT 'UTC' NOT NULL;