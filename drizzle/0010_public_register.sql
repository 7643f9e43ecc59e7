ALTER TABLE `neighbourhoods` ADD `code` text;--> statement-breakpoint
ALTER TABLE `applications` ADD `public_name` integer DEFAULT false NOT NULL;