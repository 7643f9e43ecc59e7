ALTER TABLE `application_messages` ADD `language` text;--> statement-breakpoint
ALTER TABLE `reviews` ADD `language` text;--> statement-breakpoint
ALTER TABLE `reports` ADD `language` text;--> statement-breakpoint
ALTER TABLE `reports` ADD `feedback_language` text;