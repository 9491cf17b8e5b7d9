CREATE TABLE `ad_accounts` (
	`integration_id` text NOT NULL,
	`provider_id` text NOT NULL,
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`source` text NOT NULL,
	`channel` text NOT NULL,
	`name` text NOT NULL,
	`currency` text NOT NULL,
	`time_zone` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`integration_id`, `provider_id`),
	FOREIGN KEY (`integration_id`) REFERENCES `integrations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `ad_accounts_ws_idx` ON `ad_accounts` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `ad_campaigns` (
	`integration_id` text NOT NULL,
	`provider_id` text NOT NULL,
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`source` text NOT NULL,
	`channel` text NOT NULL,
	`account_id` text NOT NULL,
	`name` text NOT NULL,
	`status` text NOT NULL,
	`objective` text,
	`daily_budget_minor` integer,
	`lifetime_budget_minor` integer,
	`currency` text NOT NULL,
	`shared_budget` integer DEFAULT false NOT NULL,
	`budget_id` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`integration_id`, `provider_id`),
	FOREIGN KEY (`integration_id`) REFERENCES `integrations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `ad_campaigns_ws_idx` ON `ad_campaigns` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `ad_insights_daily` (
	`integration_id` text NOT NULL,
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`source` text NOT NULL,
	`campaign_id` text NOT NULL,
	`date` text NOT NULL,
	`spend_minor` integer NOT NULL,
	`impressions` integer NOT NULL,
	`clicks` integer NOT NULL,
	`reach` integer,
	`conversions` real NOT NULL,
	`conversion_value_minor` integer NOT NULL,
	`currency` text NOT NULL,
	PRIMARY KEY(`integration_id`, `campaign_id`, `date`),
	FOREIGN KEY (`integration_id`) REFERENCES `integrations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `ad_insights_daily_ws_idx` ON `ad_insights_daily` (`workspace_id`,`date`);--> statement-breakpoint
CREATE TABLE `ad_sets` (
	`integration_id` text NOT NULL,
	`provider_id` text NOT NULL,
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`source` text NOT NULL,
	`campaign_id` text NOT NULL,
	`name` text NOT NULL,
	`status` text NOT NULL,
	`daily_budget_minor` integer,
	`lifetime_budget_minor` integer,
	`currency` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`integration_id`, `provider_id`),
	FOREIGN KEY (`integration_id`) REFERENCES `integrations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `ad_sets_ws_idx` ON `ad_sets` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `social_accounts` (
	`integration_id` text NOT NULL,
	`provider_id` text NOT NULL,
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`source` text NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`parent_id` text,
	`followers` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`integration_id`, `provider_id`),
	FOREIGN KEY (`integration_id`) REFERENCES `integrations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `social_accounts_ws_idx` ON `social_accounts` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `social_insights_daily` (
	`integration_id` text NOT NULL,
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`source` text NOT NULL,
	`account_id` text NOT NULL,
	`metric` text NOT NULL,
	`date` text NOT NULL,
	`value` real NOT NULL,
	PRIMARY KEY(`integration_id`, `account_id`, `metric`, `date`),
	FOREIGN KEY (`integration_id`) REFERENCES `integrations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `social_insights_daily_ws_idx` ON `social_insights_daily` (`workspace_id`,`metric`,`date`);--> statement-breakpoint
CREATE TABLE `social_posts` (
	`integration_id` text NOT NULL,
	`provider_id` text NOT NULL,
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`source` text NOT NULL,
	`account_id` text NOT NULL,
	`message` text,
	`permalink` text,
	`published_at` integer NOT NULL,
	`reach` integer NOT NULL,
	`views` integer NOT NULL,
	`likes` integer NOT NULL,
	`comments` integer NOT NULL,
	`shares` integer NOT NULL,
	`engagement` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`integration_id`, `provider_id`),
	FOREIGN KEY (`integration_id`) REFERENCES `integrations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `social_posts_ws_idx` ON `social_posts` (`workspace_id`,`published_at`);