CREATE TABLE `inbox_classifications` (
	`message_id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`mailbox_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`category` text NOT NULL,
	`priority` text NOT NULL,
	`summary` text NOT NULL,
	`source` text NOT NULL,
	`reason` text NOT NULL,
	`model` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`message_id`) REFERENCES `inbox_messages`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`mailbox_id`) REFERENCES `mailboxes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `inbox_classifications_conv_idx` ON `inbox_classifications` (`conversation_id`);--> statement-breakpoint
CREATE TABLE `inbox_rule_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`rule_id` text,
	`conversation_id` text NOT NULL,
	`message_id` text,
	`reason` text NOT NULL,
	`outcome` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`rule_id`) REFERENCES `inbox_rules`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `inbox_rule_runs_conv_idx` ON `inbox_rule_runs` (`conversation_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `inbox_rule_runs_org_idx` ON `inbox_rule_runs` (`org_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `inbox_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`name` text NOT NULL,
	`position` integer NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`conditions` text NOT NULL,
	`action` text NOT NULL,
	`set_category` text,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `inbox_rules_org_idx` ON `inbox_rules` (`org_id`,`position`);--> statement-breakpoint
CREATE TABLE `inbox_slas` (
	`workspace_id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`first_response_minutes` integer NOT NULL,
	`resolution_minutes` integer NOT NULL,
	`at_risk_percent` integer DEFAULT 75 NOT NULL,
	`time_zone` text NOT NULL,
	`hours` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `inbox_team_members` (
	`team_id` text NOT NULL,
	`user_id` text NOT NULL,
	`org_id` text NOT NULL,
	`last_assigned_at` integer,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`team_id`, `user_id`),
	FOREIGN KEY (`team_id`) REFERENCES `inbox_teams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `inbox_teams` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`name` text NOT NULL,
	`max_open_per_person` integer DEFAULT 20 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `inbox_teams_org_idx` ON `inbox_teams` (`org_id`);--> statement-breakpoint
ALTER TABLE `conversations` ADD `category` text;--> statement-breakpoint
ALTER TABLE `conversations` ADD `summary` text;--> statement-breakpoint
ALTER TABLE `conversations` ADD `category_reason` text;--> statement-breakpoint
ALTER TABLE `conversations` ADD `category_model` text;--> statement-breakpoint
ALTER TABLE `conversations` ADD `sla_due_at` integer;--> statement-breakpoint
ALTER TABLE `conversations` ADD `sla_state` text;--> statement-breakpoint
ALTER TABLE `conversations` ADD `sla_notices` text DEFAULT '[]' NOT NULL;