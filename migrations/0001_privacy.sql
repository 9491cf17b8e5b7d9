CREATE TABLE `analytics_events` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`org_id` text,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`device_class` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `analytics_user_idx` ON `analytics_events` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `analytics_org_idx` ON `analytics_events` (`org_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `consents` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`functional` integer NOT NULL,
	`analytics` integer NOT NULL,
	`policy_version` text NOT NULL,
	`source` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `consents_user_idx` ON `consents` (`user_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `dsr_events` (
	`id` text PRIMARY KEY NOT NULL,
	`request_id` text NOT NULL,
	`at` integer NOT NULL,
	`actor` text NOT NULL,
	`operator_id` text,
	`action` text NOT NULL,
	`note` text,
	FOREIGN KEY (`request_id`) REFERENCES `dsr_requests`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `dsr_events_request_idx` ON `dsr_events` (`request_id`,`at`);--> statement-breakpoint
CREATE TABLE `dsr_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text,
	`org_id` text,
	`email` text,
	`regime` text NOT NULL,
	`kind` text NOT NULL,
	`source` text NOT NULL,
	`status` text NOT NULL,
	`verification` text NOT NULL,
	`details` text,
	`actions` text DEFAULT '[]' NOT NULL,
	`attachment_key` text,
	`attachment_name` text,
	`received_at` integer NOT NULL,
	`due_at` integer NOT NULL,
	`completed_at` integer,
	`alert_level` text,
	`filed_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `dsr_requests_due_idx` ON `dsr_requests` (`status`,`due_at`);--> statement-breakpoint
CREATE INDEX `dsr_requests_user_idx` ON `dsr_requests` (`user_id`,`received_at`);--> statement-breakpoint
CREATE INDEX `dsr_requests_org_idx` ON `dsr_requests` (`org_id`);--> statement-breakpoint
CREATE TABLE `export_jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`status` text NOT NULL,
	`rows_total` integer NOT NULL,
	`rows_done` integer NOT NULL,
	`tables_total` integer NOT NULL,
	`tables_done` integer NOT NULL,
	`files` integer NOT NULL,
	`bytes` integer NOT NULL,
	`error` text,
	`created_at` integer NOT NULL,
	`completed_at` integer,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `export_jobs_user_idx` ON `export_jobs` (`user_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `incident_notices` (
	`id` text PRIMARY KEY NOT NULL,
	`incident_id` text NOT NULL,
	`user_id` text,
	`email` text,
	`notification_id` text,
	`email_message_id` text,
	`notified_at` integer NOT NULL,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `incident_notices_uq` ON `incident_notices` (`incident_id`,`user_id`);--> statement-breakpoint
CREATE INDEX `incident_notices_user_idx` ON `incident_notices` (`user_id`);--> statement-breakpoint
CREATE TABLE `incidents` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`detected_at` integer NOT NULL,
	`deadline_at` integer NOT NULL,
	`nature` text NOT NULL,
	`data_categories` text NOT NULL,
	`subject_categories` text NOT NULL,
	`likely_consequences` text NOT NULL,
	`measures_taken` text NOT NULL,
	`authority_notified_at` integer,
	`authority_reference` text,
	`users_notified_at` integer,
	`alerted_at` integer,
	`status` text NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `incidents_deadline_idx` ON `incidents` (`users_notified_at`,`deadline_at`);--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`link` text,
	`created_at` integer NOT NULL,
	`read_at` integer
);
--> statement-breakpoint
CREATE INDEX `notifications_user_idx` ON `notifications` (`user_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `operators` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`granted_by` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `operators_user_uq` ON `operators` (`user_id`);--> statement-breakpoint
CREATE TABLE `policy_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`version` text NOT NULL,
	`effective_date` text NOT NULL,
	`effective_at` integer NOT NULL,
	`title` text NOT NULL,
	`text` text NOT NULL,
	`summary` text,
	`material` integer NOT NULL,
	`published_at` integer NOT NULL,
	`published_by` text,
	`announce_cursor` text,
	`announced_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `policy_versions_version_uq` ON `policy_versions` (`version`);--> statement-breakpoint
CREATE INDEX `policy_versions_effective_idx` ON `policy_versions` (`effective_at`);--> statement-breakpoint
CREATE TABLE `purge_reports` (
	`id` text PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`cron` text NOT NULL,
	`scheduled_at` integer NOT NULL,
	`rule` text NOT NULL,
	`subjects` integer NOT NULL,
	`rows_deleted` integer NOT NULL,
	`objects_deleted` integer NOT NULL,
	`statements` integer NOT NULL,
	`duration_ms` integer NOT NULL,
	`max_batch_ms` integer NOT NULL,
	`complete` integer NOT NULL,
	`error` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `purge_reports_time_idx` ON `purge_reports` (`scheduled_at`);--> statement-breakpoint
CREATE INDEX `purge_reports_run_idx` ON `purge_reports` (`run_id`);--> statement-breakpoint
ALTER TABLE `users` ADD `deleted_at` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `purge_after` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `restricted_at` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `objected_at` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `sale_opt_out_at` integer;--> statement-breakpoint
CREATE INDEX `users_purge_idx` ON `users` (`purge_after`);--> statement-breakpoint
ALTER TABLE `organizations` ADD `deleted_at` integer;--> statement-breakpoint
ALTER TABLE `organizations` ADD `purge_after` integer;--> statement-breakpoint
ALTER TABLE `organizations` ADD `deleted_by` text;--> statement-breakpoint
ALTER TABLE `organizations` ADD `restricted_at` integer;--> statement-breakpoint
ALTER TABLE `organizations` ADD `objected_at` integer;--> statement-breakpoint
CREATE INDEX `organizations_purge_idx` ON `organizations` (`purge_after`);