ALTER TABLE `application_scores` ADD `live_reviewers` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `application_scores_lacking_idx` ON `application_scores` (`call_id`,`live_reviewers`) WHERE "application_scores"."status" = 'in_review';--> statement-breakpoint
ALTER TABLE `grants` ADD `call_id` text;--> statement-breakpoint
CREATE INDEX `grants_call_idx` ON `grants` (`call_id`,`created_at`,`id`);--> statement-breakpoint
ALTER TABLE `milestones` ADD `accepted` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `milestones_open_idx` ON `milestones` (`due_date`,`grant_id`) WHERE accepted = 0;--> statement-breakpoint
UPDATE `grants` SET call_id = (SELECT a.call_id FROM applications a WHERE a.id = grants.application_id);
--> statement-breakpoint
CREATE TRIGGER `grants_call_insert` AFTER INSERT ON `grants` BEGIN
	UPDATE grants SET call_id = (SELECT a.call_id FROM applications a WHERE a.id = new.application_id) WHERE id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `grants_call_application_update` AFTER UPDATE OF call_id ON `applications` WHEN old.call_id IS NOT new.call_id BEGIN
	UPDATE grants SET call_id = new.call_id WHERE application_id = new.id;
END;
--> statement-breakpoint
UPDATE `milestones` SET accepted = EXISTS (SELECT 1 FROM reports r WHERE r.milestone_id = milestones.id AND r.status = 'accepted');
--> statement-breakpoint
CREATE TRIGGER `milestones_accepted_insert` AFTER INSERT ON `reports` WHEN new.status = 'accepted' BEGIN
	UPDATE milestones SET accepted = 1 WHERE id = new.milestone_id;
END;
--> statement-breakpoint
CREATE TRIGGER `milestones_accepted_update` AFTER UPDATE OF status, milestone_id ON `reports` BEGIN
	UPDATE milestones SET accepted = EXISTS (SELECT 1 FROM reports r WHERE r.milestone_id = milestones.id AND r.status = 'accepted') WHERE id IN (old.milestone_id, new.milestone_id);
END;
--> statement-breakpoint
CREATE TRIGGER `milestones_accepted_delete` AFTER DELETE ON `reports` WHEN old.status = 'accepted' BEGIN
	UPDATE milestones SET accepted = EXISTS (SELECT 1 FROM reports r WHERE r.milestone_id = milestones.id AND r.status = 'accepted') WHERE id = old.milestone_id;
END;
--> statement-breakpoint
UPDATE `application_scores` SET live_reviewers = (SELECT count(*) FROM review_assignments ra WHERE ra.application_id = application_scores.application_id AND ra.released_at IS NULL);
--> statement-breakpoint
CREATE TRIGGER `application_scores_assignment_insert` AFTER INSERT ON `review_assignments` WHEN new.released_at IS NULL BEGIN
	UPDATE application_scores SET live_reviewers = live_reviewers + 1 WHERE application_id = new.application_id;
END;
--> statement-breakpoint
CREATE TRIGGER `application_scores_assignment_update` AFTER UPDATE OF released_at, application_id ON `review_assignments`
WHEN (old.released_at IS NULL) <> (new.released_at IS NULL) OR old.application_id IS NOT new.application_id BEGIN
	UPDATE application_scores SET live_reviewers = live_reviewers - 1 WHERE application_id = old.application_id AND old.released_at IS NULL;
	UPDATE application_scores SET live_reviewers = live_reviewers + 1 WHERE application_id = new.application_id AND new.released_at IS NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `application_scores_assignment_delete` AFTER DELETE ON `review_assignments` WHEN old.released_at IS NULL BEGIN
	UPDATE application_scores SET live_reviewers = live_reviewers - 1 WHERE application_id = old.application_id;
END;
