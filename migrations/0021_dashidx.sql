DROP INDEX `metric_rollups_ws_idx`;--> statement-breakpoint
CREATE INDEX `metric_rollups_snapshot_idx` ON `metric_rollups` (`workspace_id`,`metric`,`dimension`,`dimension_value`,`day`,`integration_id`,`value`) WHERE metric = 'list_members' OR metric = 'social_followers';--> statement-breakpoint
CREATE INDEX `metric_rollups_ws_idx` ON `metric_rollups` (`workspace_id`,`dimension`,`metric`,`day`,`dimension_value`,`currency`,`integration_id`,`value`);--> statement-breakpoint
DROP INDEX `metric_rollups_monthly_ws_idx`;--> statement-breakpoint
CREATE INDEX `metric_rollups_monthly_ws_idx` ON `metric_rollups_monthly` (`workspace_id`,`dimension`,`metric`,`dimension_value`,`currency`,`month`,`integration_id`,`value`,`label`);