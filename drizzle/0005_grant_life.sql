CREATE TABLE `milestones` (
	`id` text PRIMARY KEY NOT NULL,
	`grant_id` text NOT NULL,
	`position` integer NOT NULL,
	`title` text NOT NULL,
	`due_date` text NOT NULL,
	`is_final` integer DEFAULT false NOT NULL,
	`reminded_before_at` integer,
	`reminded_after_at` integer,
	FOREIGN KEY (`grant_id`) REFERENCES `grants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `milestones_grant_idx` ON `milestones` (`grant_id`,`position`);--> statement-breakpoint
CREATE INDEX `milestones_due_idx` ON `milestones` (`due_date`);--> statement-breakpoint
CREATE TABLE `payout_accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`grant_id` text NOT NULL,
	`kind` text NOT NULL,
	`account` text NOT NULL,
	`bic` text,
	`holder_name` text NOT NULL,
	`status` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`confirmed_by` text,
	`confirmed_at` integer,
	FOREIGN KEY (`grant_id`) REFERENCES `grants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `payout_accounts_grant_idx` ON `payout_accounts` (`grant_id`,`status`);--> statement-breakpoint
CREATE TABLE `report_files` (
	`id` text PRIMARY KEY NOT NULL,
	`report_id` text NOT NULL,
	`file_name` text NOT NULL,
	`content_type` text NOT NULL,
	`size` integer NOT NULL,
	`uploaded_by` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`uploaded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `report_files_report_idx` ON `report_files` (`report_id`);--> statement-breakpoint
CREATE TABLE `report_spending` (
	`report_id` text NOT NULL,
	`budget_line_id` integer NOT NULL,
	`amount` integer NOT NULL,
	PRIMARY KEY(`report_id`, `budget_line_id`),
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`budget_line_id`) REFERENCES `budget_lines`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `reports` (
	`id` text PRIMARY KEY NOT NULL,
	`milestone_id` text NOT NULL,
	`grant_id` text NOT NULL,
	`narrative` text DEFAULT '' NOT NULL,
	`participants` integer,
	`participants_by_neighbourhood` text DEFAULT '{}' NOT NULL,
	`unspent_amount` integer,
	`status` text DEFAULT 'draft' NOT NULL,
	`feedback` text,
	`updated_at` integer NOT NULL,
	`submitted_at` integer,
	`reviewed_at` integer,
	`reviewed_by` text,
	FOREIGN KEY (`milestone_id`) REFERENCES `milestones`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`grant_id`) REFERENCES `grants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reports_milestone_unique` ON `reports` (`milestone_id`);--> statement-breakpoint
CREATE INDEX `reports_grant_idx` ON `reports` (`grant_id`,`status`);--> statement-breakpoint
ALTER TABLE `calls` ADD `terms_en` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `calls` ADD `terms_sv` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `calls` ADD `terms_nl` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `calls` ADD `terms_version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `calls` ADD `milestone_template` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `grants` ADD `released_amount` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `grants` ADD `terms_version` integer;--> statement-breakpoint
ALTER TABLE `grants` ADD `accepted_at` integer;--> statement-breakpoint
ALTER TABLE `grants` ADD `accepted_by` text;--> statement-breakpoint
ALTER TABLE `grants` ADD `completed_at` integer;--> statement-breakpoint
ALTER TABLE `grants` ADD `closed_at` integer;--> statement-breakpoint
ALTER TABLE `grants` ADD `cancelled_at` integer;--> statement-breakpoint
ALTER TABLE `grants` ADD `cancel_reason` text;--> statement-breakpoint
ALTER TABLE `grants` ADD `owed_back` integer DEFAULT 0 NOT NULL;