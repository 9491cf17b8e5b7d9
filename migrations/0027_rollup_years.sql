CREATE TABLE `metric_rollups_yearly` (
	`integration_id` text NOT NULL,
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`source` text NOT NULL,
	`metric` text NOT NULL,
	`dimension` text NOT NULL,
	`dimension_value` text NOT NULL,
	`label` text,
	`year` text NOT NULL,
	`currency` text NOT NULL,
	`value` real NOT NULL,
	`days` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`integration_id`, `metric`, `dimension`, `dimension_value`, `year`, `currency`),
	FOREIGN KEY (`integration_id`) REFERENCES `integrations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `metric_rollups_yearly_ws_idx` ON `metric_rollups_yearly` (`workspace_id`,`dimension`,`metric`,`year`,`dimension_value`,`currency`,`integration_id`,`value`,`label`,`days`);--> statement-breakpoint
DROP INDEX `metric_rollups_monthly_ws_idx`;--> statement-breakpoint
CREATE INDEX `metric_rollups_monthly_ws_idx` ON `metric_rollups_monthly` (`workspace_id`,`dimension`,`metric`,`month`,`dimension_value`,`currency`,`integration_id`,`value`,`label`,`days`);