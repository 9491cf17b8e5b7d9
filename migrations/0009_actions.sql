CREATE TABLE `action_settings` (
	`workspace_id` text NOT NULL,
	`org_id` text NOT NULL,
	`kind` text NOT NULL,
	`autopilot` integer DEFAULT false NOT NULL,
	`limits` text DEFAULT '{}' NOT NULL,
	`updated_by` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `kind`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE TABLE `actions` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`kind` text NOT NULL,
	`subject_type` text NOT NULL,
	`subject_id` text NOT NULL,
	`summary` text NOT NULL,
	`before` text NOT NULL,
	`after` text NOT NULL,
	`state` text NOT NULL,
	`scheduled_for` integer,
	`due_at` integer,
	`lease_until` integer,
	`attempt_id` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`proposed_by` text,
	`agent_run_id` text,
	`approved_by` text,
	`approved_at` integer,
	`approved_as` text,
	`wait_reason` text,
	`provider_result` text,
	`error` text,
	`revert_of` text,
	`transition_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`finished_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`proposed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`approved_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `actions_ws_state_idx` ON `actions` (`workspace_id`,`state`,`created_at`);--> statement-breakpoint
CREATE INDEX `actions_org_state_idx` ON `actions` (`org_id`,`state`);--> statement-breakpoint
CREATE INDEX `actions_due_idx` ON `actions` (`workspace_id`,`due_at`);--> statement-breakpoint
CREATE INDEX `actions_subject_idx` ON `actions` (`workspace_id`,`subject_type`,`subject_id`);