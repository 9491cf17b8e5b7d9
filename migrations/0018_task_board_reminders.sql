ALTER TABLE `dev_mailbox` ADD `attachments` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `tasks` ADD `position` real DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `tasks` ADD `reminded_due_soon` text;--> statement-breakpoint
ALTER TABLE `tasks` ADD `reminded_overdue` text;--> statement-breakpoint
CREATE INDEX `tasks_due_idx` ON `tasks` (`due_date`);