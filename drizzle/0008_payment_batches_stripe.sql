CREATE TABLE `payment_batch_items` (
	`batch_id` text NOT NULL,
	`tranche_id` text NOT NULL,
	`attempt` integer NOT NULL,
	`amount` integer NOT NULL,
	`status` text NOT NULL,
	`settled_by` text,
	`settled_at` integer,
	PRIMARY KEY(`batch_id`, `tranche_id`),
	FOREIGN KEY (`batch_id`) REFERENCES `payment_batches`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`tranche_id`) REFERENCES `payment_tranches`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `payment_batch_items_tranche_idx` ON `payment_batch_items` (`tranche_id`);--> statement-breakpoint
CREATE TABLE `payment_batches` (
	`id` text PRIMARY KEY NOT NULL,
	`message_id` text NOT NULL,
	`version` text NOT NULL,
	`currency` text NOT NULL,
	`status` text NOT NULL,
	`count` integer NOT NULL,
	`total` integer NOT NULL,
	`xml` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`sent_by` text,
	`sent_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payment_batches_message_unique` ON `payment_batches` (`message_id`);--> statement-breakpoint
CREATE INDEX `payment_batches_status_idx` ON `payment_batches` (`status`,`created_at`);--> statement-breakpoint
CREATE TABLE `stripe_events` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `payment_tranches` ADD `due_at` integer;--> statement-breakpoint
ALTER TABLE `payment_tranches` ADD `approved_for_payment_by` text;--> statement-breakpoint
ALTER TABLE `payment_tranches` ADD `approved_for_payment_at` integer;--> statement-breakpoint
ALTER TABLE `payment_tranches` ADD `batch_id` text;--> statement-breakpoint
ALTER TABLE `payment_tranches` ADD `stripe_transfer_id` text;--> statement-breakpoint
CREATE INDEX `tranches_status_idx` ON `payment_tranches` (`status`);--> statement-breakpoint
CREATE INDEX `tranches_transfer_idx` ON `payment_tranches` (`stripe_transfer_id`);