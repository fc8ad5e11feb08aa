CREATE TABLE `class_confirmation` (
	`event_id` integer PRIMARY KEY NOT NULL,
	`class` text NOT NULL,
	`reason` text,
	`user_id` integer,
	`at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `stance_event`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `change` ADD `reason` text;--> statement-breakpoint
ALTER TABLE `issue` ADD `change_min_share` real;--> statement-breakpoint
ALTER TABLE `issue` ADD `walk_back_days` integer;--> statement-breakpoint
ALTER TABLE `issue` ADD `stale_after_days` integer;