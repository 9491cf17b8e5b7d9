CREATE TABLE `expenses` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`project_id` text,
	`user_id` text,
	`date` text NOT NULL,
	`amount_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`category` text NOT NULL,
	`vendor` text NOT NULL,
	`notes` text NOT NULL,
	`billable` integer NOT NULL,
	`markup_bp` integer NOT NULL,
	`receipt_key` text,
	`receipt_type` text,
	`receipt_bytes` integer,
	`invoice_id` text,
	`invoice_line_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `expenses_org_ws_idx` ON `expenses` (`org_id`,`workspace_id`,`date`);--> statement-breakpoint
CREATE INDEX `expenses_invoice_idx` ON `expenses` (`invoice_id`);--> statement-breakpoint
CREATE TABLE `finance_secrets` (
	`org_id` text NOT NULL,
	`field` text NOT NULL,
	`ciphertext` text NOT NULL,
	`key_id` text NOT NULL,
	`hint` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `finance_secrets_org_field_uq` ON `finance_secrets` (`org_id`,`field`);--> statement-breakpoint
CREATE TABLE `finance_settings` (
	`org_id` text PRIMARY KEY NOT NULL,
	`currency` text NOT NULL,
	`invoice_pattern` text NOT NULL,
	`next_seq` integer NOT NULL,
	`payment_terms_days` integer NOT NULL,
	`agency_name` text,
	`agency_details` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `invoice_lines` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`invoice_id` text NOT NULL,
	`position` integer NOT NULL,
	`description` text NOT NULL,
	`quantity_milli` integer NOT NULL,
	`unit_price_minor` integer NOT NULL,
	`discount_bp` integer NOT NULL,
	`tax_rates` text NOT NULL,
	`source` text NOT NULL,
	`gross_minor` integer NOT NULL,
	`discount_minor` integer NOT NULL,
	`tax_minor` integer NOT NULL,
	`total_minor` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`invoice_id`) REFERENCES `invoices`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `invoice_lines_invoice_idx` ON `invoice_lines` (`invoice_id`,`position`);--> statement-breakpoint
CREATE TABLE `invoices` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`kind` text NOT NULL,
	`credit_of` text,
	`number` text NOT NULL,
	`seq` integer NOT NULL,
	`status` text NOT NULL,
	`currency` text NOT NULL,
	`issue_date` text NOT NULL,
	`due_date` text NOT NULL,
	`bill_to` text NOT NULL,
	`notes` text NOT NULL,
	`terms` text NOT NULL,
	`subtotal_minor` integer NOT NULL,
	`discount_minor` integer NOT NULL,
	`tax_minor` integer NOT NULL,
	`total_minor` integer NOT NULL,
	`paid_minor` integer NOT NULL,
	`credited_minor` integer NOT NULL,
	`public_token_hash` text,
	`public_expires_at` integer,
	`pdf_key` text,
	`sent_at` integer,
	`viewed_at` integer,
	`voided_at` integer,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_number_uq` ON `invoices` (`org_id`,`number`);--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_token_uq` ON `invoices` (`public_token_hash`);--> statement-breakpoint
CREATE INDEX `invoices_org_ws_idx` ON `invoices` (`org_id`,`workspace_id`,`issue_date`);--> statement-breakpoint
CREATE TABLE `payments` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`invoice_id` text NOT NULL,
	`date` text NOT NULL,
	`amount_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`method` text NOT NULL,
	`reference` text NOT NULL,
	`external_id` text,
	`recorded_by` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`invoice_id`) REFERENCES `invoices`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `payments_org_idx` ON `payments` (`org_id`,`date`);--> statement-breakpoint
CREATE INDEX `payments_invoice_idx` ON `payments` (`invoice_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `payments_external_uq` ON `payments` (`external_id`);--> statement-breakpoint
CREATE TABLE `projects` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`archived_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `projects_org_ws_idx` ON `projects` (`org_id`,`workspace_id`);--> statement-breakpoint
CREATE TABLE `rates` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`scope` text NOT NULL,
	`target_id` text NOT NULL,
	`hourly_minor` integer NOT NULL,
	`cost_minor` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rates_target_uq` ON `rates` (`org_id`,`scope`,`target_id`);--> statement-breakpoint
CREATE TABLE `time_entries` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`project_id` text,
	`task_id` text,
	`user_id` text,
	`started_at` integer NOT NULL,
	`ended_at` integer,
	`time_zone` text NOT NULL,
	`billable` integer NOT NULL,
	`notes` text NOT NULL,
	`rate_minor` integer,
	`invoice_id` text,
	`invoice_line_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `time_entries_running_uq` ON `time_entries` (`org_id`,`user_id`) WHERE ended_at IS NULL;--> statement-breakpoint
CREATE INDEX `time_entries_org_user_idx` ON `time_entries` (`org_id`,`user_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `time_entries_org_ws_idx` ON `time_entries` (`org_id`,`workspace_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `time_entries_invoice_idx` ON `time_entries` (`invoice_id`);--> statement-breakpoint
CREATE TABLE `billing_accounts` (
	`org_id` text PRIMARY KEY NOT NULL,
	`stripe_customer_id` text,
	`stripe_subscription_id` text,
	`plan` text NOT NULL,
	`status` text NOT NULL,
	`trial_ends_at` integer,
	`current_period_end` integer,
	`cancel_at_period_end` integer NOT NULL,
	`past_due_since` integer,
	`state_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `billing_accounts_customer_idx` ON `billing_accounts` (`stripe_customer_id`);--> statement-breakpoint
CREATE TABLE `stripe_events` (
	`id` text PRIMARY KEY NOT NULL,
	`account` text NOT NULL,
	`type` text NOT NULL,
	`created` integer NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `stripe_events_received_idx` ON `stripe_events` (`received_at`);