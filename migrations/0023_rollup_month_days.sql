DROP INDEX `metric_rollups_monthly_ws_idx`;--> statement-breakpoint
ALTER TABLE `metric_rollups_monthly` ADD `days` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `metric_rollups_monthly_ws_idx` ON `metric_rollups_monthly` (`workspace_id`,`dimension`,`metric`,`dimension_value`,`currency`,`month`,`integration_id`,`value`,`label`,`days`);--> statement-breakpoint
CREATE INDEX `metric_rollups_drill_idx` ON `metric_rollups` (`workspace_id`,`dimension`,`dimension_value`,`metric`,`day`,`currency`,`integration_id`,`value`,`label`);