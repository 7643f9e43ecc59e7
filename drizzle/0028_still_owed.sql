ALTER TABLE `grants` ADD `still_owed` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `grants_still_owed_idx` ON `grants` (`closed_at`) WHERE still_owed > 0;--> statement-breakpoint
UPDATE `grants` SET still_owed = (
	SELECT coalesce(sum(CASE l.kind WHEN 'receivable' THEN l.amount ELSE -l.amount END), 0) FROM ledger_entries l
	WHERE l.grant_id = grants.id AND l.kind IN ('receivable', 'repayment', 'write_off', 'offset'));
--> statement-breakpoint
CREATE TRIGGER `grants_still_owed` AFTER INSERT ON `ledger_entries`
WHEN new.grant_id IS NOT NULL AND new.kind IN ('receivable', 'repayment', 'write_off', 'offset') BEGIN
	UPDATE grants SET still_owed = still_owed + CASE new.kind WHEN 'receivable' THEN new.amount ELSE -new.amount END WHERE id = new.grant_id;
END;
