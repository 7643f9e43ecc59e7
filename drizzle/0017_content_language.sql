ALTER TABLE `applications` ADD `language` text;--> statement-breakpoint
ALTER TABLE `calls` ADD `language` text;