CREATE TABLE `fund_ledger_sums` (
	`fund_id` text NOT NULL,
	`kind` text NOT NULL,
	`total` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`fund_id`, `kind`),
	FOREIGN KEY (`fund_id`) REFERENCES `funds`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `fund_ledger_sums` (`fund_id`, `kind`, `total`) SELECT fund_id, kind, sum(amount) FROM ledger_entries GROUP BY fund_id, kind;
--> statement-breakpoint
CREATE TRIGGER `fund_ledger_sums_append` AFTER INSERT ON `ledger_entries` BEGIN
	INSERT INTO fund_ledger_sums (fund_id, kind, total) VALUES (new.fund_id, new.kind, new.amount)
	ON CONFLICT (fund_id, kind) DO UPDATE SET total = total + excluded.total;
END;
