CREATE TABLE `application_scores` (
	`application_id` integer PRIMARY KEY NOT NULL,
	`call_id` text NOT NULL,
	`status` text NOT NULL,
	`requested_amount` integer NOT NULL,
	`scored` integer DEFAULT 0 NOT NULL,
	`total` real DEFAULT 0 NOT NULL,
	`lowest` real,
	`highest` real,
	`rank_key` real DEFAULT -1 NOT NULL,
	FOREIGN KEY (`application_id`) REFERENCES `applications`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `application_scores_rank_idx` ON `application_scores` (`call_id`,"rank_key" desc,`application_id`,`status`,`requested_amount`) WHERE "application_scores"."status" in ('in_review', 'approved', 'rejected');--> statement-breakpoint
CREATE INDEX `application_scores_call_idx` ON `application_scores` (`call_id`,`application_id`);--> statement-breakpoint
CREATE TABLE `call_reviewer_stats` (
	`call_id` text NOT NULL,
	`reviewer_id` text NOT NULL,
	`n` integer DEFAULT 0 NOT NULL,
	`total` real DEFAULT 0 NOT NULL,
	`squares` real DEFAULT 0 NOT NULL,
	PRIMARY KEY(`call_id`, `reviewer_id`),
	FOREIGN KEY (`call_id`) REFERENCES `calls`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `call_figures` ADD `score_revision` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `call_figures` ADD `ranked` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `call_figures` ADD `decided` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `call_figures` ADD `decision_days` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `reviews` ADD `weighted_score` real;--> statement-breakpoint
UPDATE `reviews` SET `weighted_score` = (
	SELECT CASE WHEN count(s.score) = (SELECT count(*) FROM criteria c2 JOIN applications a ON a.call_id = c2.call_id WHERE a.id = reviews.application_id)
		THEN sum(c.weight * (s.score - 1) * 1.0 / (c.scale_max - 1)) * 100.0 / sum(c.weight) END
	FROM review_scores s JOIN criteria c ON c.id = s.criterion_id WHERE s.review_id = reviews.id
) WHERE submitted_at IS NOT NULL;
--> statement-breakpoint
INSERT INTO `application_scores` (application_id, call_id, status, requested_amount, scored, total, lowest, highest, rank_key)
SELECT a.id, a.call_id, a.status, a.requested_amount, count(r.weighted_score), coalesce(sum(r.weighted_score), 0), min(r.weighted_score), max(r.weighted_score), coalesce(avg(r.weighted_score), -1)
FROM applications a LEFT JOIN reviews r ON r.application_id = a.id GROUP BY a.id;
--> statement-breakpoint
INSERT INTO `call_reviewer_stats` (call_id, reviewer_id, n, total, squares)
SELECT a.call_id, r.reviewer_id, count(*), sum(r.weighted_score), sum(r.weighted_score * r.weighted_score)
FROM reviews r JOIN applications a ON a.id = r.application_id WHERE r.weighted_score IS NOT NULL GROUP BY a.call_id, r.reviewer_id;
--> statement-breakpoint
CREATE TRIGGER `application_scores_application_insert` AFTER INSERT ON `applications` BEGIN
	INSERT INTO application_scores (application_id, call_id, status, requested_amount) VALUES (new.id, new.call_id, new.status, new.requested_amount);
END;
--> statement-breakpoint
CREATE TRIGGER `application_scores_application_update` AFTER UPDATE OF call_id, status, requested_amount ON `applications`
WHEN old.call_id IS NOT new.call_id OR old.status IS NOT new.status OR old.requested_amount IS NOT new.requested_amount BEGIN
	UPDATE application_scores SET call_id = new.call_id, status = new.status, requested_amount = new.requested_amount WHERE application_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `application_scores_revision` AFTER UPDATE ON `application_scores`
WHEN old.status IN ('in_review', 'approved', 'rejected') OR new.status IN ('in_review', 'approved', 'rejected') BEGIN
	UPDATE call_figures SET score_revision = score_revision + 1, ranked = ranked - (old.status IN ('in_review', 'approved', 'rejected')) WHERE call_id = old.call_id;
	UPDATE call_figures SET score_revision = score_revision + 1, ranked = ranked + (new.status IN ('in_review', 'approved', 'rejected')) WHERE call_id = new.call_id;
END;
--> statement-breakpoint
CREATE TRIGGER `application_scores_revision_insert` AFTER INSERT ON `application_scores`
WHEN new.status IN ('in_review', 'approved', 'rejected') BEGIN
	UPDATE call_figures SET score_revision = score_revision + 1, ranked = ranked + 1 WHERE call_id = new.call_id;
END;
--> statement-breakpoint
CREATE TRIGGER `application_scores_revision_delete` AFTER DELETE ON `application_scores`
WHEN old.status IN ('in_review', 'approved', 'rejected') BEGIN
	UPDATE call_figures SET score_revision = score_revision + 1, ranked = ranked - 1 WHERE call_id = old.call_id;
END;
--> statement-breakpoint
UPDATE `call_figures` SET
	ranked = (SELECT count(*) FROM applications a WHERE a.call_id = call_figures.call_id AND a.status IN ('in_review', 'approved', 'rejected')),
	decided = (SELECT count(*) FROM applications a WHERE a.call_id = call_figures.call_id AND a.status IN ('approved', 'rejected') AND a.decided_at IS NOT NULL AND a.submitted_at IS NOT NULL),
	decision_days = (SELECT coalesce(sum(round((a.decided_at - a.submitted_at) / 86400000.0)), 0) FROM applications a WHERE a.call_id = call_figures.call_id AND a.status IN ('approved', 'rejected') AND a.decided_at IS NOT NULL AND a.submitted_at IS NOT NULL);
--> statement-breakpoint
CREATE TRIGGER `call_figures_decision_insert` AFTER INSERT ON `applications`
WHEN new.status IN ('approved', 'rejected') AND new.decided_at IS NOT NULL AND new.submitted_at IS NOT NULL BEGIN
	UPDATE call_figures SET decided = decided + 1, decision_days = decision_days + round((new.decided_at - new.submitted_at) / 86400000.0) WHERE call_id = new.call_id;
END;
--> statement-breakpoint
CREATE TRIGGER `call_figures_decision_update` AFTER UPDATE OF call_id, status, decided_at, submitted_at ON `applications` BEGIN
	UPDATE call_figures SET decided = decided - 1, decision_days = decision_days - round((old.decided_at - old.submitted_at) / 86400000.0)
	WHERE call_id = old.call_id AND old.status IN ('approved', 'rejected') AND old.decided_at IS NOT NULL AND old.submitted_at IS NOT NULL;
	UPDATE call_figures SET decided = decided + 1, decision_days = decision_days + round((new.decided_at - new.submitted_at) / 86400000.0)
	WHERE call_id = new.call_id AND new.status IN ('approved', 'rejected') AND new.decided_at IS NOT NULL AND new.submitted_at IS NOT NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `application_scores_review_insert` AFTER INSERT ON `reviews` WHEN new.weighted_score IS NOT NULL BEGIN
	UPDATE application_scores SET
		scored = (SELECT count(*) FROM reviews r WHERE r.application_id = new.application_id AND r.weighted_score IS NOT NULL),
		total = (SELECT coalesce(sum(r.weighted_score), 0) FROM reviews r WHERE r.application_id = new.application_id),
		lowest = (SELECT min(r.weighted_score) FROM reviews r WHERE r.application_id = new.application_id),
		highest = (SELECT max(r.weighted_score) FROM reviews r WHERE r.application_id = new.application_id),
		rank_key = coalesce((SELECT avg(r.weighted_score) FROM reviews r WHERE r.application_id = new.application_id), -1)
	WHERE application_id = new.application_id;
	INSERT INTO call_reviewer_stats (call_id, reviewer_id, n, total, squares)
	SELECT a.call_id, new.reviewer_id, 1, new.weighted_score, new.weighted_score * new.weighted_score FROM applications a WHERE a.id = new.application_id
	ON CONFLICT (call_id, reviewer_id) DO UPDATE SET n = n + excluded.n, total = total + excluded.total, squares = squares + excluded.squares;
END;
--> statement-breakpoint
CREATE TRIGGER `application_scores_review_scored` AFTER UPDATE OF weighted_score ON `reviews` WHEN old.weighted_score IS NOT new.weighted_score BEGIN
	UPDATE application_scores SET
		scored = (SELECT count(*) FROM reviews r WHERE r.application_id = new.application_id AND r.weighted_score IS NOT NULL),
		total = (SELECT coalesce(sum(r.weighted_score), 0) FROM reviews r WHERE r.application_id = new.application_id),
		lowest = (SELECT min(r.weighted_score) FROM reviews r WHERE r.application_id = new.application_id),
		highest = (SELECT max(r.weighted_score) FROM reviews r WHERE r.application_id = new.application_id),
		rank_key = coalesce((SELECT avg(r.weighted_score) FROM reviews r WHERE r.application_id = new.application_id), -1)
	WHERE application_id = new.application_id;
	INSERT INTO call_reviewer_stats (call_id, reviewer_id, n, total, squares)
	SELECT a.call_id, new.reviewer_id, (new.weighted_score IS NOT NULL) - (old.weighted_score IS NOT NULL),
		coalesce(new.weighted_score, 0) - coalesce(old.weighted_score, 0),
		coalesce(new.weighted_score * new.weighted_score, 0) - coalesce(old.weighted_score * old.weighted_score, 0)
	FROM applications a WHERE a.id = new.application_id
	ON CONFLICT (call_id, reviewer_id) DO UPDATE SET n = n + excluded.n, total = total + excluded.total, squares = squares + excluded.squares;
END;
--> statement-breakpoint
CREATE TRIGGER `application_scores_review_delete` AFTER DELETE ON `reviews` WHEN old.weighted_score IS NOT NULL BEGIN
	UPDATE application_scores SET
		scored = (SELECT count(*) FROM reviews r WHERE r.application_id = old.application_id AND r.weighted_score IS NOT NULL),
		total = (SELECT coalesce(sum(r.weighted_score), 0) FROM reviews r WHERE r.application_id = old.application_id),
		lowest = (SELECT min(r.weighted_score) FROM reviews r WHERE r.application_id = old.application_id),
		highest = (SELECT max(r.weighted_score) FROM reviews r WHERE r.application_id = old.application_id),
		rank_key = coalesce((SELECT avg(r.weighted_score) FROM reviews r WHERE r.application_id = old.application_id), -1)
	WHERE application_id = old.application_id;
	UPDATE call_reviewer_stats SET n = n - 1, total = total - old.weighted_score, squares = squares - old.weighted_score * old.weighted_score
	WHERE reviewer_id = old.reviewer_id AND call_id = (SELECT a.call_id FROM applications a WHERE a.id = old.application_id);
END;
