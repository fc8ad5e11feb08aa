CREATE TABLE `import_run` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`file` text NOT NULL,
	`format` text NOT NULL,
	`status` text DEFAULT 'running' NOT NULL,
	`user_id` integer,
	`via` text NOT NULL,
	`host` text NOT NULL,
	`pid` integer NOT NULL,
	`started_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`finished_at` text,
	`event_offset` integer,
	`actor_offset` integer,
	`issue_offset` integer,
	`rows_read` integer DEFAULT 0 NOT NULL,
	`new_events` integer DEFAULT 0 NOT NULL,
	`present` integer DEFAULT 0 NOT NULL,
	`rejected` integer DEFAULT 0 NOT NULL,
	`created_actors` integer DEFAULT 0 NOT NULL,
	`created_issues` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `stance_event` ADD `position_low` real;--> statement-breakpoint
ALTER TABLE `stance_event` ADD `position_high` real;--> statement-breakpoint
ALTER TABLE `stance_event` ADD `import_id` integer REFERENCES import_run(id);