DROP INDEX `ledger_grant_idx`;--> statement-breakpoint
CREATE INDEX `ledger_grant_idx` ON `ledger_entries` (`grant_id`,`kind`,`at`);--> statement-breakpoint
CREATE INDEX `grants_created_idx` ON `grants` (`created_at`,`id`);