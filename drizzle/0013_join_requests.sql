CREATE TABLE `organisation_join_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`user_id` text NOT NULL,
	`message` text DEFAULT '' NOT NULL,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`decided_by` text,
	`decided_at` integer,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `join_requests_status_idx` ON `organisation_join_requests` (`status`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `join_requests_pending_unique` ON `organisation_join_requests` (`organisation_id`,`user_id`) WHERE status = 'pending';