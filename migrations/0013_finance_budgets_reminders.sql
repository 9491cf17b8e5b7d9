CREATE TABLE `finance_budgets` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`project_id` text,
	`unit` text NOT NULL,
	`monthly_limit` integer NOT NULL,
	`notified_pct` integer NOT NULL,
	`notified_month` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `finance_budgets_target_uq` ON `finance_budgets` (`org_id`,`workspace_id`,`project_id`);--> statement-breakpoint
CREATE INDEX `finance_budgets_org_idx` ON `finance_budgets` (`org_id`);--> statement-breakpoint
ALTER TABLE `invoices` ADD `reminder_before_at` integer;--> statement-breakpoint
ALTER TABLE `invoices` ADD `reminder_overdue_at` integer;