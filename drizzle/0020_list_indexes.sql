CREATE INDEX `grants_status_idx` ON `grants` (`status`,`created_at`,`accepted_at`);--> statement-breakpoint
CREATE INDEX `grants_owing_idx` ON `grants` (`closed_at`) WHERE owed_back > 0;