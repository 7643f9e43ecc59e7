CREATE TABLE `call_figures` (
	`call_id` text PRIMARY KEY NOT NULL,
	`applied` integer DEFAULT 0 NOT NULL,
	`funded` integer DEFAULT 0 NOT NULL,
	`awarded` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`call_id`) REFERENCES `calls`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `call_figures` (`call_id`, `applied`, `funded`, `awarded`)
	SELECT c.id,
		(SELECT count(*) FROM applications a WHERE a.call_id = c.id AND a.submitted_at IS NOT NULL),
		(SELECT count(*) FROM grants g JOIN applications a ON a.id = g.application_id WHERE a.call_id = c.id AND g.status IN ('active', 'completed', 'closed')),
		(SELECT coalesce(sum(g.awarded_amount), 0) FROM grants g JOIN applications a ON a.id = g.application_id WHERE a.call_id = c.id AND g.status IN ('active', 'completed', 'closed'))
	FROM calls c;
--> statement-breakpoint
CREATE TRIGGER `call_figures_call_insert` AFTER INSERT ON `calls` BEGIN
	INSERT INTO call_figures (call_id) VALUES (new.id);
END;
--> statement-breakpoint
CREATE TRIGGER `call_figures_application_insert` AFTER INSERT ON `applications` WHEN new.submitted_at IS NOT NULL BEGIN
	UPDATE call_figures SET applied = applied + 1 WHERE call_id = new.call_id;
END;
--> statement-breakpoint
CREATE TRIGGER `call_figures_application_update` AFTER UPDATE OF submitted_at, call_id ON `applications`
	WHEN (old.submitted_at IS NULL) <> (new.submitted_at IS NULL) OR old.call_id <> new.call_id BEGIN
	UPDATE call_figures SET applied = applied - 1 WHERE call_id = old.call_id AND old.submitted_at IS NOT NULL;
	UPDATE call_figures SET applied = applied + 1 WHERE call_id = new.call_id AND new.submitted_at IS NOT NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `call_figures_application_delete` AFTER DELETE ON `applications` WHEN old.submitted_at IS NOT NULL BEGIN
	UPDATE call_figures SET applied = applied - 1 WHERE call_id = old.call_id;
END;
--> statement-breakpoint
CREATE TRIGGER `call_figures_grant_insert` AFTER INSERT ON `grants` WHEN new.status IN ('active', 'completed', 'closed') BEGIN
	UPDATE call_figures SET funded = funded + 1, awarded = awarded + new.awarded_amount
	WHERE call_id = (SELECT call_id FROM applications WHERE id = new.application_id);
END;
--> statement-breakpoint
CREATE TRIGGER `call_figures_grant_update` AFTER UPDATE OF status, awarded_amount, application_id ON `grants` BEGIN
	UPDATE call_figures SET funded = funded - 1, awarded = awarded - old.awarded_amount
	WHERE old.status IN ('active', 'completed', 'closed') AND call_id = (SELECT call_id FROM applications WHERE id = old.application_id);
	UPDATE call_figures SET funded = funded + 1, awarded = awarded + new.awarded_amount
	WHERE new.status IN ('active', 'completed', 'closed') AND call_id = (SELECT call_id FROM applications WHERE id = new.application_id);
END;
--> statement-breakpoint
CREATE TRIGGER `call_figures_grant_delete` AFTER DELETE ON `grants` WHEN old.status IN ('active', 'completed', 'closed') BEGIN
	UPDATE call_figures SET funded = funded - 1, awarded = awarded - old.awarded_amount
	WHERE call_id = (SELECT call_id FROM applications WHERE id = old.application_id);
END;
