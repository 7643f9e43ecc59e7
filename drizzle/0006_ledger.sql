CREATE TABLE `ledger_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`fund_id` text NOT NULL,
	`grant_id` text,
	`tranche_id` text,
	`kind` text NOT NULL,
	`amount` integer NOT NULL,
	`method` text,
	`reference` text,
	`reason` text,
	`idempotency_key` text NOT NULL,
	`actor_id` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`fund_id`) REFERENCES `funds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`grant_id`) REFERENCES `grants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`tranche_id`) REFERENCES `payment_tranches`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_idempotency_unique` ON `ledger_entries` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `ledger_fund_idx` ON `ledger_entries` (`fund_id`,`kind`);--> statement-breakpoint
CREATE INDEX `ledger_grant_idx` ON `ledger_entries` (`grant_id`);--> statement-breakpoint
CREATE INDEX `ledger_tranche_idx` ON `ledger_entries` (`tranche_id`);--> statement-breakpoint
ALTER TABLE `payment_tranches` ADD `attempts` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `payment_tranches` ADD `paid_at` integer;--> statement-breakpoint
ALTER TABLE `payment_tranches` ADD `paid_by` text;