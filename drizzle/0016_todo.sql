ALTER TABLE `users` ADD `todo_digest` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `todo_digest_on` text;--> statement-breakpoint
CREATE INDEX `payout_accounts_status_idx` ON `payout_accounts` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `reports_status_idx` ON `reports` (`status`,`submitted_at`);--> statement-breakpoint
CREATE INDEX `write_offs_status_idx` ON `write_offs` (`status`,`proposed_at`);