CREATE TABLE `call_reviewers` (
	`call_id` text NOT NULL,
	`user_id` text NOT NULL,
	`appointed_by` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`call_id`, `user_id`),
	FOREIGN KEY (`call_id`) REFERENCES `calls`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `grants` (
	`id` text PRIMARY KEY NOT NULL,
	`application_id` integer NOT NULL,
	`fund_id` text NOT NULL,
	`awarded_amount` integer NOT NULL,
	`conditions` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'offered' NOT NULL,
	`approved_by` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`application_id`) REFERENCES `applications`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`fund_id`) REFERENCES `funds`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `grants_application_live_unique` ON `grants` (`application_id`) WHERE status <> 'cancelled';--> statement-breakpoint
CREATE INDEX `grants_fund_idx` ON `grants` (`fund_id`,`status`);--> statement-breakpoint
CREATE TABLE `payment_tranches` (
	`id` text PRIMARY KEY NOT NULL,
	`grant_id` text NOT NULL,
	`position` integer NOT NULL,
	`percent` integer NOT NULL,
	`amount` integer NOT NULL,
	`trigger` text NOT NULL,
	`status` text DEFAULT 'scheduled' NOT NULL,
	FOREIGN KEY (`grant_id`) REFERENCES `grants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `tranches_grant_idx` ON `payment_tranches` (`grant_id`,`position`);--> statement-breakpoint
CREATE TABLE `review_assignments` (
	`id` text PRIMARY KEY NOT NULL,
	`application_id` integer NOT NULL,
	`reviewer_id` text NOT NULL,
	`assigned_by` text NOT NULL,
	`assigned_at` integer NOT NULL,
	`due_at` integer NOT NULL,
	`conflict` text,
	`conflict_reason` text,
	`declared_at` integer,
	`released_at` integer,
	`reminded_before_at` integer,
	`reminded_after_at` integer,
	FOREIGN KEY (`application_id`) REFERENCES `applications`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`reviewer_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `assignments_app_idx` ON `review_assignments` (`application_id`,`released_at`);--> statement-breakpoint
CREATE INDEX `assignments_reviewer_idx` ON `review_assignments` (`reviewer_id`,`released_at`);--> statement-breakpoint
CREATE INDEX `assignments_due_idx` ON `review_assignments` (`released_at`,`due_at`);--> statement-breakpoint
CREATE TABLE `review_scores` (
	`review_id` text NOT NULL,
	`criterion_id` text NOT NULL,
	`score` integer,
	`justification` text DEFAULT '' NOT NULL,
	PRIMARY KEY(`review_id`, `criterion_id`),
	FOREIGN KEY (`review_id`) REFERENCES `reviews`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`criterion_id`) REFERENCES `criteria`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `reviewer_ties` (
	`user_id` text NOT NULL,
	`organisation_id` text NOT NULL,
	`kind` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `organisation_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `reviewer_ties_org_idx` ON `reviewer_ties` (`organisation_id`);--> statement-breakpoint
CREATE TABLE `reviews` (
	`id` text PRIMARY KEY NOT NULL,
	`assignment_id` text NOT NULL,
	`application_id` integer NOT NULL,
	`reviewer_id` text NOT NULL,
	`recommendation` text,
	`suggested_amount` integer,
	`comments_for_staff` text DEFAULT '' NOT NULL,
	`updated_at` integer NOT NULL,
	`submitted_at` integer,
	FOREIGN KEY (`assignment_id`) REFERENCES `review_assignments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`application_id`) REFERENCES `applications`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`reviewer_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reviews_assignment_unique` ON `reviews` (`assignment_id`);--> statement-breakpoint
CREATE INDEX `reviews_app_idx` ON `reviews` (`application_id`,`submitted_at`);--> statement-breakpoint
ALTER TABLE `applications` ADD `decision_reason` text;--> statement-breakpoint
ALTER TABLE `applications` ADD `decided_by` text;--> statement-breakpoint
ALTER TABLE `calls` ADD `hide_identity` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `calls` ADD `review_days` integer DEFAULT 14 NOT NULL;