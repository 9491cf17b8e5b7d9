ALTER TABLE `inbox_messages` ADD `archived_at` integer;--> statement-breakpoint
ALTER TABLE `inbox_messages` ADD `provider_ref` text;