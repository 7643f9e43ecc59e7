CREATE TABLE `write_offs` (
	`id` text PRIMARY KEY NOT NULL,
	`grant_id` text NOT NULL,
	`amount` integer NOT NULL,
	`reason` text NOT NULL,
	`status` text NOT NULL,
	`proposed_by` text NOT NULL,
	`proposed_as` text NOT NULL,
	`proposed_at` integer NOT NULL,
	`decided_by` text,
	`decided_at` integer,
	FOREIGN KEY (`grant_id`) REFERENCES `grants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `write_offs_grant_idx` ON `write_offs` (`grant_id`,`status`);--> statement-breakpoint
ALTER TABLE `organisations` ADD `verified_at` integer;--> statement-breakpoint
ALTER TABLE `organisations` ADD `verified_by` text;--> statement-breakpoint
CREATE UNIQUE INDEX `organisations_number_unique` ON `organisations` (`org_number`) WHERE org_number is not null;--> statement-breakpoint
ALTER TABLE `payment_tranches` ADD `milestone_position` integer;--> statement-breakpoint
ALTER TABLE `payment_tranches` ADD `netted` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `payment_tranches` ADD `waived_reason` text;--> statement-breakpoint
ALTER TABLE `payment_tranches` ADD `waived_by` text;