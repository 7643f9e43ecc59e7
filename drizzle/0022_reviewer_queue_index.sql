DROP INDEX `assignments_reviewer_idx`;--> statement-breakpoint
CREATE INDEX `assignments_reviewer_idx` ON `review_assignments` (`reviewer_id`,`released_at`,`due_at`);