CREATE TABLE `audiences` (
	`integration_id` text NOT NULL,
	`provider_id` text NOT NULL,
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`source` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`member_count` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`integration_id`, `provider_id`),
	FOREIGN KEY (`integration_id`) REFERENCES `integrations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `audiences_ws_idx` ON `audiences` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `daily_metrics` (
	`integration_id` text NOT NULL,
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`source` text NOT NULL,
	`metric` text NOT NULL,
	`dimension` text NOT NULL,
	`dimension_value` text NOT NULL,
	`date` text NOT NULL,
	`value` real NOT NULL,
	`currency` text,
	PRIMARY KEY(`integration_id`, `metric`, `dimension`, `dimension_value`, `date`),
	FOREIGN KEY (`integration_id`) REFERENCES `integrations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `daily_metrics_ws_idx` ON `daily_metrics` (`workspace_id`,`metric`,`date`);--> statement-breakpoint
CREATE TABLE `email_campaigns` (
	`integration_id` text NOT NULL,
	`provider_id` text NOT NULL,
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`source` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`sent_at` integer,
	`recipients` integer NOT NULL,
	`delivered` integer NOT NULL,
	`opens` integer NOT NULL,
	`clicks` integer NOT NULL,
	`bounces` integer NOT NULL,
	`unsubscribes` integer NOT NULL,
	`revenue_minor` integer NOT NULL,
	`currency` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`integration_id`, `provider_id`),
	FOREIGN KEY (`integration_id`) REFERENCES `integrations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `email_campaigns_ws_idx` ON `email_campaigns` (`workspace_id`,`sent_at`);--> statement-breakpoint
CREATE TABLE `integration_credentials` (
	`integration_id` text NOT NULL,
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`field` text NOT NULL,
	`ciphertext` text NOT NULL,
	`key_id` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`integration_id`, `field`),
	FOREIGN KEY (`integration_id`) REFERENCES `integrations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `integration_credentials_key_idx` ON `integration_credentials` (`key_id`);--> statement-breakpoint
CREATE TABLE `integrations` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`provider` text NOT NULL,
	`status` text NOT NULL,
	`label` text NOT NULL,
	`account_key` text NOT NULL,
	`account` text DEFAULT '{}' NOT NULL,
	`scopes` text DEFAULT '[]' NOT NULL,
	`token_expires_at` integer,
	`connected_by` text,
	`last_sync_at` integer,
	`rows_synced` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`sync_interval_minutes` integer DEFAULT 60 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`disconnected_at` integer,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`connected_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `integrations_ws_idx` ON `integrations` (`workspace_id`,`provider`);--> statement-breakpoint
CREATE INDEX `integrations_account_idx` ON `integrations` (`provider`,`account_key`);--> statement-breakpoint
CREATE INDEX `integrations_disconnected_idx` ON `integrations` (`disconnected_at`);--> statement-breakpoint
CREATE TABLE `oauth_states` (
	`id` text PRIMARY KEY NOT NULL,
	`state_hash` text NOT NULL,
	`user_id` text NOT NULL,
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`provider` text NOT NULL,
	`account` text DEFAULT '{}' NOT NULL,
	`code_verifier` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `oauth_states_hash_uq` ON `oauth_states` (`state_hash`);--> statement-breakpoint
CREATE INDEX `oauth_states_expires_idx` ON `oauth_states` (`expires_at`);--> statement-breakpoint
CREATE TABLE `order_lines` (
	`integration_id` text NOT NULL,
	`order_id` text NOT NULL,
	`line_no` integer NOT NULL,
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`product_id` text NOT NULL,
	`title` text NOT NULL,
	`quantity` integer NOT NULL,
	`total_minor` integer NOT NULL,
	PRIMARY KEY(`integration_id`, `order_id`, `line_no`),
	FOREIGN KEY (`integration_id`) REFERENCES `integrations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `orders` (
	`integration_id` text NOT NULL,
	`provider_id` text NOT NULL,
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`source` text NOT NULL,
	`number` text NOT NULL,
	`status` text NOT NULL,
	`currency` text NOT NULL,
	`total_minor` integer NOT NULL,
	`subtotal_minor` integer NOT NULL,
	`discount_minor` integer NOT NULL,
	`refunded_minor` integer NOT NULL,
	`customer_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`integration_id`, `provider_id`),
	FOREIGN KEY (`integration_id`) REFERENCES `integrations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `orders_ws_idx` ON `orders` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `products` (
	`integration_id` text NOT NULL,
	`provider_id` text NOT NULL,
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`source` text NOT NULL,
	`title` text NOT NULL,
	`sku` text,
	`price_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`integration_id`, `provider_id`),
	FOREIGN KEY (`integration_id`) REFERENCES `integrations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `products_ws_idx` ON `products` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `sync_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`integration_id` text NOT NULL,
	`reason` text NOT NULL,
	`status` text NOT NULL,
	`stream` text,
	`streams_done` integer DEFAULT 0 NOT NULL,
	`streams_total` integer DEFAULT 0 NOT NULL,
	`pages` integer DEFAULT 0 NOT NULL,
	`rows_fetched` integer DEFAULT 0 NOT NULL,
	`rows_written` integer DEFAULT 0 NOT NULL,
	`retries` integer DEFAULT 0 NOT NULL,
	`detail` text,
	`error` text,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`duration_ms` integer,
	FOREIGN KEY (`integration_id`) REFERENCES `integrations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sync_runs_integration_idx` ON `sync_runs` (`integration_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `sync_runs_ws_idx` ON `sync_runs` (`workspace_id`,`started_at`);--> statement-breakpoint
CREATE TABLE `webhook_events` (
	`integration_id` text NOT NULL,
	`event_id` text NOT NULL,
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`provider` text NOT NULL,
	`topic` text NOT NULL,
	`received_at` integer NOT NULL,
	PRIMARY KEY(`integration_id`, `event_id`),
	FOREIGN KEY (`integration_id`) REFERENCES `integrations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `webhook_events_received_idx` ON `webhook_events` (`received_at`);