CREATE TABLE `publish_media` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`key` text NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`bytes` integer NOT NULL,
	`uploaded_by` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`uploaded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `publish_media_ws_idx` ON `publish_media` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `publish_posts` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`title` text NOT NULL,
	`status` text NOT NULL,
	`scheduled_for` integer,
	`content_id` text,
	`action_id` text,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `publish_posts_ws_idx` ON `publish_posts` (`workspace_id`,`scheduled_for`);--> statement-breakpoint
CREATE TABLE `publish_variants` (
	`id` text PRIMARY KEY NOT NULL,
	`post_id` text NOT NULL,
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`integration_id` text NOT NULL,
	`account_id` text NOT NULL,
	`network` text NOT NULL,
	`text` text NOT NULL,
	`media_ids` text DEFAULT '[]' NOT NULL,
	`first_comment` text,
	`link` text,
	`status` text NOT NULL,
	`due_at` integer,
	`attempt_id` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`steps` text DEFAULT '{}' NOT NULL,
	`started_at` integer,
	`container_id` text,
	`provider_post_id` text,
	`permalink` text,
	`comment_id` text,
	`error` text,
	`published_at` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`post_id`) REFERENCES `publish_posts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `publish_variants_post_idx` ON `publish_variants` (`post_id`);--> statement-breakpoint
CREATE INDEX `publish_variants_due_idx` ON `publish_variants` (`workspace_id`,`status`,`due_at`);