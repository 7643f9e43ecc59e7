CREATE TABLE `read_revisions` (
	`name` text PRIMARY KEY NOT NULL,
	`revision` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
INSERT INTO `read_revisions` (name, revision) VALUES ('statistics', 0);
--> statement-breakpoint
CREATE TRIGGER `statistics_grant_insert` AFTER INSERT ON `grants` BEGIN
	UPDATE read_revisions SET revision = revision + 1 WHERE name = 'statistics';
END;
--> statement-breakpoint
CREATE TRIGGER `statistics_grant_update` AFTER UPDATE OF status, accepted_at, awarded_amount, created_at, fund_id, application_id ON `grants`
WHEN old.status IS NOT new.status OR old.accepted_at IS NOT new.accepted_at OR old.awarded_amount IS NOT new.awarded_amount OR old.created_at IS NOT new.created_at OR old.fund_id IS NOT new.fund_id OR old.application_id IS NOT new.application_id BEGIN
	UPDATE read_revisions SET revision = revision + 1 WHERE name = 'statistics';
END;
--> statement-breakpoint
CREATE TRIGGER `statistics_application_insert` AFTER INSERT ON `applications` BEGIN
	UPDATE read_revisions SET revision = revision + 1 WHERE name = 'statistics';
END;
--> statement-breakpoint
CREATE TRIGGER `statistics_application_update` AFTER UPDATE OF status, submitted_at, decided_at, neighbourhood_id, applicant_kind, call_id, created_at, organisation_id, applicant_id ON `applications`
WHEN old.status IS NOT new.status OR old.submitted_at IS NOT new.submitted_at OR old.decided_at IS NOT new.decided_at OR old.neighbourhood_id IS NOT new.neighbourhood_id OR old.applicant_kind IS NOT new.applicant_kind OR old.call_id IS NOT new.call_id OR old.created_at IS NOT new.created_at OR old.organisation_id IS NOT new.organisation_id OR old.applicant_id IS NOT new.applicant_id BEGIN
	UPDATE read_revisions SET revision = revision + 1 WHERE name = 'statistics';
END;
--> statement-breakpoint
CREATE TRIGGER `statistics_disbursement` AFTER INSERT ON `ledger_entries`
WHEN new.kind = 'disbursement' BEGIN
	UPDATE read_revisions SET revision = revision + 1 WHERE name = 'statistics';
END;
--> statement-breakpoint
CREATE TRIGGER `statistics_report_insert` AFTER INSERT ON `reports` BEGIN
	UPDATE read_revisions SET revision = revision + 1 WHERE name = 'statistics';
END;
--> statement-breakpoint
CREATE TRIGGER `statistics_report_update` AFTER UPDATE OF status, participants_by_neighbourhood, grant_id ON `reports`
WHEN old.status IS NOT new.status OR old.participants_by_neighbourhood IS NOT new.participants_by_neighbourhood OR old.grant_id IS NOT new.grant_id BEGIN
	UPDATE read_revisions SET revision = revision + 1 WHERE name = 'statistics';
END;
--> statement-breakpoint
CREATE TRIGGER `statistics_call_update` AFTER UPDATE OF fund_id ON `calls`
WHEN old.fund_id IS NOT new.fund_id BEGIN
	UPDATE read_revisions SET revision = revision + 1 WHERE name = 'statistics';
END;
--> statement-breakpoint
CREATE TRIGGER `statistics_neighbourhood_insert` AFTER INSERT ON `neighbourhoods` BEGIN
	UPDATE read_revisions SET revision = revision + 1 WHERE name = 'statistics';
END;
--> statement-breakpoint
CREATE TRIGGER `statistics_neighbourhood_update` AFTER UPDATE ON `neighbourhoods` BEGIN
	UPDATE read_revisions SET revision = revision + 1 WHERE name = 'statistics';
END;
--> statement-breakpoint
CREATE TRIGGER `statistics_neighbourhood_delete` AFTER DELETE ON `neighbourhoods` BEGIN
	UPDATE read_revisions SET revision = revision + 1 WHERE name = 'statistics';
END;
