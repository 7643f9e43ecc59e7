DROP INDEX `tranches_status_idx`;--> statement-breakpoint
CREATE INDEX `tranches_due_idx` ON `payment_tranches` (`status`,`due_at`,`id`);--> statement-breakpoint
CREATE INDEX `tranches_status_idx` ON `payment_tranches` (`status`,`paid_at`);--> statement-breakpoint
DROP INDEX `ledger_fund_idx`;--> statement-breakpoint
CREATE INDEX `ledger_fund_idx` ON `ledger_entries` (`fund_id`,`kind`,`amount`);--> statement-breakpoint
CREATE INDEX `grants_application_idx` ON `grants` (`application_id`);