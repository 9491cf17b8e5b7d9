CREATE TABLE `conversations` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`mailbox_id` text NOT NULL,
	`transport` text DEFAULT 'email' NOT NULL,
	`thread_key` text NOT NULL,
	`subject` text NOT NULL,
	`snippet` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`snoozed_until` integer,
	`priority` text DEFAULT 'normal' NOT NULL,
	`assignee_id` text,
	`labels` text DEFAULT '[]' NOT NULL,
	`participants` text DEFAULT '[]' NOT NULL,
	`unread_count` integer DEFAULT 0 NOT NULL,
	`message_count` integer DEFAULT 0 NOT NULL,
	`waiting_since` integer,
	`first_response_at` integer,
	`resolved_at` integer,
	`last_message_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`mailbox_id`) REFERENCES `mailboxes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`assignee_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `conversations_thread_uq` ON `conversations` (`mailbox_id`,`thread_key`);--> statement-breakpoint
CREATE INDEX `conversations_ws_idx` ON `conversations` (`org_id`,`workspace_id`,`status`,`last_message_at`);--> statement-breakpoint
CREATE INDEX `conversations_assignee_idx` ON `conversations` (`assignee_id`,`status`);--> statement-breakpoint
CREATE TABLE `inbox_attachments` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`mailbox_id` text NOT NULL,
	`message_id` text NOT NULL,
	`filename` text NOT NULL,
	`content_type` text NOT NULL,
	`size` integer NOT NULL,
	`r2_key` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`mailbox_id`) REFERENCES `mailboxes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`message_id`) REFERENCES `inbox_messages`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `inbox_attachments_msg_idx` ON `inbox_attachments` (`message_id`);--> statement-breakpoint
CREATE TABLE `inbox_drafts` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`mailbox_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`author_id` text,
	`body` text NOT NULL,
	`provider_draft_id` text,
	`status` text DEFAULT 'draft' NOT NULL,
	`sent_provider_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`mailbox_id`) REFERENCES `mailboxes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `inbox_drafts_conv_idx` ON `inbox_drafts` (`conversation_id`);--> statement-breakpoint
CREATE TABLE `inbox_image_senders` (
	`user_id` text NOT NULL,
	`org_id` text NOT NULL,
	`sender` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `sender`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `inbox_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`mailbox_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`provider_id` text NOT NULL,
	`thread_key` text NOT NULL,
	`rfc_message_id` text,
	`in_reply_to` text,
	`references` text,
	`from` text NOT NULL,
	`to` text DEFAULT '[]' NOT NULL,
	`cc` text DEFAULT '[]' NOT NULL,
	`subject` text NOT NULL,
	`html` text,
	`text` text DEFAULT '' NOT NULL,
	`snippet` text DEFAULT '' NOT NULL,
	`remote_images` integer DEFAULT 0 NOT NULL,
	`headers` text DEFAULT '{}' NOT NULL,
	`label_ids` text DEFAULT '[]' NOT NULL,
	`direction` text NOT NULL,
	`unread` integer DEFAULT false NOT NULL,
	`date` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`mailbox_id`) REFERENCES `mailboxes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inbox_messages_provider_uq` ON `inbox_messages` (`mailbox_id`,`provider_id`);--> statement-breakpoint
CREATE INDEX `inbox_messages_conv_idx` ON `inbox_messages` (`conversation_id`,`date`);--> statement-breakpoint
CREATE TABLE `inbox_notes` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`mailbox_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`author_id` text,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`mailbox_id`) REFERENCES `mailboxes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `inbox_notes_conv_idx` ON `inbox_notes` (`conversation_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `mailbox_credentials` (
	`mailbox_id` text NOT NULL,
	`org_id` text NOT NULL,
	`field` text NOT NULL,
	`ciphertext` text NOT NULL,
	`key_id` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`mailbox_id`, `field`),
	FOREIGN KEY (`mailbox_id`) REFERENCES `mailboxes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `mailbox_credentials_key_idx` ON `mailbox_credentials` (`key_id`);--> statement-breakpoint
CREATE TABLE `mailboxes` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`provider` text NOT NULL,
	`address` text NOT NULL,
	`status` text NOT NULL,
	`scopes` text DEFAULT '[]' NOT NULL,
	`token_expires_at` integer,
	`sync` text DEFAULT '{"phase":"idle","fetched":0,"estimate":null,"historyId":null,"waitingUntil":null}' NOT NULL,
	`messages_synced` integer DEFAULT 0 NOT NULL,
	`last_sync_at` integer,
	`last_error` text,
	`connected_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`disconnected_at` integer,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`connected_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `mailboxes_ws_idx` ON `mailboxes` (`workspace_id`);--> statement-breakpoint
CREATE INDEX `mailboxes_address_idx` ON `mailboxes` (`provider`,`address`);--> statement-breakpoint
CREATE INDEX `mailboxes_disconnected_idx` ON `mailboxes` (`disconnected_at`);