-- The open data (360Giving JSON and CSV) is written once per change to what it publishes and then
-- served from that file: this counter moves with every such change (see transparency/open-data-files.ts).
INSERT INTO `read_revisions` (name, revision) VALUES ('open_data', 0);
--> statement-breakpoint
CREATE TRIGGER `open_data_grant_insert` AFTER INSERT ON `grants` BEGIN
	UPDATE read_revisions SET revision = revision + 1 WHERE name = 'open_data';
END;
--> statement-breakpoint
CREATE TRIGGER `open_data_grant_update` AFTER UPDATE ON `grants` BEGIN
	UPDATE read_revisions SET revision = revision + 1 WHERE name = 'open_data';
END;
--> statement-breakpoint
CREATE TRIGGER `open_data_grant_delete` AFTER DELETE ON `grants` BEGIN
	UPDATE read_revisions SET revision = revision + 1 WHERE name = 'open_data';
END;
--> statement-breakpoint
CREATE TRIGGER `open_data_tranche_insert` AFTER INSERT ON `payment_tranches` BEGIN
	UPDATE read_revisions SET revision = revision + 1 WHERE name = 'open_data';
END;
--> statement-breakpoint
CREATE TRIGGER `open_data_tranche_update` AFTER UPDATE OF status, amount, grant_id ON `payment_tranches`
WHEN old.status IS NOT new.status OR old.amount IS NOT new.amount OR old.grant_id IS NOT new.grant_id BEGIN
	UPDATE read_revisions SET revision = revision + 1 WHERE name = 'open_data';
END;
--> statement-breakpoint
CREATE TRIGGER `open_data_ledger` AFTER INSERT ON `ledger_entries`
WHEN new.kind IN ('commitment', 'disbursement', 'reversal') BEGIN
	UPDATE read_revisions SET revision = revision + 1 WHERE name = 'open_data';
END;
--> statement-breakpoint
CREATE TRIGGER `open_data_application_update` AFTER UPDATE OF title, summary, requested_amount, start_date, end_date, public_name, applicant_id, organisation_id, neighbourhood_id, call_id ON `applications`
WHEN EXISTS (SELECT 1 FROM grants WHERE application_id = new.id) BEGIN
	UPDATE read_revisions SET revision = revision + 1 WHERE name = 'open_data';
END;
--> statement-breakpoint
CREATE TRIGGER `open_data_person_update` AFTER UPDATE OF name ON `users`
WHEN old.name IS NOT new.name AND EXISTS (SELECT 1 FROM applications a JOIN grants g ON g.application_id = a.id WHERE a.applicant_id = new.id) BEGIN
	UPDATE read_revisions SET revision = revision + 1 WHERE name = 'open_data';
END;
--> statement-breakpoint
CREATE TRIGGER `open_data_organisation_update` AFTER UPDATE OF name, org_number, verified_at ON `organisations` BEGIN
	UPDATE read_revisions SET revision = revision + 1 WHERE name = 'open_data';
END;
--> statement-breakpoint
CREATE TRIGGER `open_data_neighbourhood_update` AFTER UPDATE OF name, code ON `neighbourhoods` BEGIN
	UPDATE read_revisions SET revision = revision + 1 WHERE name = 'open_data';
END;
--> statement-breakpoint
CREATE TRIGGER `open_data_call_update` AFTER UPDATE OF title ON `calls` BEGIN
	UPDATE read_revisions SET revision = revision + 1 WHERE name = 'open_data';
END;
--> statement-breakpoint
CREATE TRIGGER `open_data_fund_update` AFTER UPDATE OF currency ON `funds` BEGIN
	UPDATE read_revisions SET revision = revision + 1 WHERE name = 'open_data';
END;
