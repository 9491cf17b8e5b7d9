CREATE TABLE `comment_sources` (
	`mailbox_id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`integration_id` text NOT NULL,
	`network` text NOT NULL,
	`asset_id` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`mailbox_id`) REFERENCES `mailboxes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `comment_sources_asset_uq` ON `comment_sources` (`workspace_id`,`network`,`asset_id`);--> statement-breakpoint
CREATE INDEX `comment_sources_asset_idx` ON `comment_sources` (`asset_id`);--> statement-breakpoint
CREATE TABLE `inbox_comment_posts` (
	`mailbox_id` text NOT NULL,
	`post_id` text NOT NULL,
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`message` text,
	`permalink` text,
	`image_url` text,
	`published_at` integer,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`mailbox_id`, `post_id`),
	FOREIGN KEY (`mailbox_id`) REFERENCES `mailboxes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `inbox_comments` (
	`message_id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`mailbox_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`comment_id` text NOT NULL,
	`parent_id` text,
	`post_id` text NOT NULL,
	`author_id` text,
	`author_name` text,
	`hidden` integer DEFAULT false NOT NULL,
	`hidden_at` integer,
	`hidden_by` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`message_id`) REFERENCES `inbox_messages`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`mailbox_id`) REFERENCES `mailboxes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`hidden_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inbox_comments_comment_uq` ON `inbox_comments` (`mailbox_id`,`comment_id`);--> statement-breakpoint
CREATE INDEX `inbox_comments_conv_idx` ON `inbox_comments` (`conversation_id`);