CREATE TABLE `application_counts` (
	`call_id` text NOT NULL,
	`applicant_kind` text NOT NULL,
	`neighbourhood_id` text NOT NULL,
	`status` text NOT NULL,
	`n` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`neighbourhood_id`, `call_id`, `applicant_kind`, `status`)
);
--> statement-breakpoint
DROP INDEX `application_neighbourhoods_n_idx`;--> statement-breakpoint
CREATE INDEX `application_neighbourhoods_n_idx` ON `application_neighbourhoods` (`neighbourhood_id`,`application_id`);--> statement-breakpoint
DROP INDEX `applications_title_idx`;--> statement-breakpoint
DROP INDEX `applications_amount_idx`;--> statement-breakpoint
CREATE INDEX `applications_call_idx` ON `applications` (`call_id`,`id`);--> statement-breakpoint
CREATE INDEX `applications_title_idx` ON `applications` (`title`,`id`) WHERE submitted_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX `applications_amount_idx` ON `applications` (`requested_amount`,`id`) WHERE submitted_at IS NOT NULL;--> statement-breakpoint
INSERT INTO application_counts (call_id, applicant_kind, neighbourhood_id, status, n)
SELECT call_id, applicant_kind, '', status, count(*) FROM applications WHERE submitted_at IS NOT NULL GROUP BY call_id, applicant_kind, status;
--> statement-breakpoint
INSERT INTO application_counts (call_id, applicant_kind, neighbourhood_id, status, n)
SELECT a.call_id, a.applicant_kind, an.neighbourhood_id, a.status, count(*) FROM applications a JOIN application_neighbourhoods an ON an.application_id = a.id
WHERE a.submitted_at IS NOT NULL GROUP BY a.call_id, a.applicant_kind, an.neighbourhood_id, a.status;
--> statement-breakpoint
CREATE TRIGGER `application_counts_insert` AFTER INSERT ON `applications` WHEN new.submitted_at IS NOT NULL BEGIN
	INSERT INTO application_counts (call_id, applicant_kind, neighbourhood_id, status, n)
	SELECT new.call_id, new.applicant_kind, '', new.status, 1 WHERE true
	UNION ALL SELECT new.call_id, new.applicant_kind, an.neighbourhood_id, new.status, 1 FROM application_neighbourhoods an WHERE an.application_id = new.id AND true
	ON CONFLICT (neighbourhood_id, call_id, applicant_kind, status) DO UPDATE SET n = n + excluded.n;
END;
--> statement-breakpoint
CREATE TRIGGER `application_counts_update` AFTER UPDATE OF call_id, applicant_kind, status, submitted_at ON `applications`
WHEN old.call_id IS NOT new.call_id OR old.applicant_kind IS NOT new.applicant_kind OR old.status IS NOT new.status OR (old.submitted_at IS NULL) <> (new.submitted_at IS NULL) BEGIN
	INSERT INTO application_counts (call_id, applicant_kind, neighbourhood_id, status, n)
	SELECT old.call_id, old.applicant_kind, '', old.status, -1 WHERE old.submitted_at IS NOT NULL
	UNION ALL SELECT old.call_id, old.applicant_kind, an.neighbourhood_id, old.status, -1 FROM application_neighbourhoods an WHERE an.application_id = old.id AND old.submitted_at IS NOT NULL
	ON CONFLICT (neighbourhood_id, call_id, applicant_kind, status) DO UPDATE SET n = n + excluded.n;
	INSERT INTO application_counts (call_id, applicant_kind, neighbourhood_id, status, n)
	SELECT new.call_id, new.applicant_kind, '', new.status, 1 WHERE new.submitted_at IS NOT NULL
	UNION ALL SELECT new.call_id, new.applicant_kind, an.neighbourhood_id, new.status, 1 FROM application_neighbourhoods an WHERE an.application_id = new.id AND new.submitted_at IS NOT NULL
	ON CONFLICT (neighbourhood_id, call_id, applicant_kind, status) DO UPDATE SET n = n + excluded.n;
END;
--> statement-breakpoint
CREATE TRIGGER `application_counts_delete` BEFORE DELETE ON `applications` WHEN old.submitted_at IS NOT NULL BEGIN
	INSERT INTO application_counts (call_id, applicant_kind, neighbourhood_id, status, n)
	SELECT old.call_id, old.applicant_kind, '', old.status, -1 WHERE true
	UNION ALL SELECT old.call_id, old.applicant_kind, an.neighbourhood_id, old.status, -1 FROM application_neighbourhoods an WHERE an.application_id = old.id AND true
	ON CONFLICT (neighbourhood_id, call_id, applicant_kind, status) DO UPDATE SET n = n + excluded.n;
END;
--> statement-breakpoint
CREATE TRIGGER `application_counts_place_insert` AFTER INSERT ON `application_neighbourhoods` BEGIN
	INSERT INTO application_counts (call_id, applicant_kind, neighbourhood_id, status, n)
	SELECT a.call_id, a.applicant_kind, new.neighbourhood_id, a.status, 1 FROM applications a WHERE a.id = new.application_id AND a.submitted_at IS NOT NULL
	ON CONFLICT (neighbourhood_id, call_id, applicant_kind, status) DO UPDATE SET n = n + excluded.n;
END;
--> statement-breakpoint
CREATE TRIGGER `application_counts_place_delete` AFTER DELETE ON `application_neighbourhoods` BEGIN
	INSERT INTO application_counts (call_id, applicant_kind, neighbourhood_id, status, n)
	SELECT a.call_id, a.applicant_kind, old.neighbourhood_id, a.status, -1 FROM applications a WHERE a.id = old.application_id AND a.submitted_at IS NOT NULL
	ON CONFLICT (neighbourhood_id, call_id, applicant_kind, status) DO UPDATE SET n = n + excluded.n;
END;
--> statement-breakpoint
CREATE TRIGGER `application_counts_place_update` AFTER UPDATE ON `application_neighbourhoods` BEGIN
	INSERT INTO application_counts (call_id, applicant_kind, neighbourhood_id, status, n)
	SELECT a.call_id, a.applicant_kind, old.neighbourhood_id, a.status, -1 FROM applications a WHERE a.id = old.application_id AND a.submitted_at IS NOT NULL
	UNION ALL SELECT a.call_id, a.applicant_kind, new.neighbourhood_id, a.status, 1 FROM applications a WHERE a.id = new.application_id AND a.submitted_at IS NOT NULL
	ON CONFLICT (neighbourhood_id, call_id, applicant_kind, status) DO UPDATE SET n = n + excluded.n;
END;
