CREATE TABLE `inbox_comment_tombstones` (
	`mailbox_id` text NOT NULL,
	`comment_id` text NOT NULL,
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`removed_at` integer NOT NULL,
	PRIMARY KEY(`mailbox_id`, `comment_id`),
	FOREIGN KEY (`mailbox_id`) REFERENCES `mailboxes`(`id`) ON UPDATE no action ON DELETE cascade
);
