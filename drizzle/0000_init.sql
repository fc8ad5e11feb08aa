CREATE TABLE `actor` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`parent_id` integer,
	`role` text,
	`country_code` text,
	`color` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`parent_id`) REFERENCES `actor`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `actor_slug_unique` ON `actor` (`slug`);--> statement-breakpoint
CREATE INDEX `actor_parent_idx` ON `actor` (`parent_id`);--> statement-breakpoint
CREATE TABLE `issue` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`scale_min` real NOT NULL,
	`scale_max` real NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `issue_slug_unique` ON `issue` (`slug`);--> statement-breakpoint
CREATE TABLE `scale_label` (
	`issue_id` integer NOT NULL,
	`value` real NOT NULL,
	`label` text NOT NULL,
	PRIMARY KEY(`issue_id`, `value`),
	FOREIGN KEY (`issue_id`) REFERENCES `issue`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `source` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` integer NOT NULL,
	`ordinal` integer DEFAULT 0 NOT NULL,
	`outlet` text NOT NULL,
	`title` text,
	`url` text,
	`published_on` text,
	FOREIGN KEY (`event_id`) REFERENCES `stance_event`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `source_event_idx` ON `source` (`event_id`,`ordinal`);--> statement-breakpoint
CREATE TABLE `stance_event` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`actor_id` integer NOT NULL,
	`issue_id` integer NOT NULL,
	`date` text NOT NULL,
	`date_precision` text DEFAULT 'day' NOT NULL,
	`position` real NOT NULL,
	`kind` text NOT NULL,
	`summary` text NOT NULL,
	`quote` text,
	`quote_language` text,
	`speaker_id` integer,
	`target_id` integer,
	`confidence` text DEFAULT 'medium' NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`actor_id`) REFERENCES `actor`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`issue_id`) REFERENCES `issue`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`speaker_id`) REFERENCES `actor`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`target_id`) REFERENCES `actor`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `event_actor_issue_date_idx` ON `stance_event` (`actor_id`,`issue_id`,`date`);--> statement-breakpoint
CREATE INDEX `event_issue_date_idx` ON `stance_event` (`issue_id`,`date`);--> statement-breakpoint
CREATE INDEX `event_speaker_idx` ON `stance_event` (`speaker_id`);--> statement-breakpoint
CREATE INDEX `event_date_idx` ON `stance_event` (`date`);