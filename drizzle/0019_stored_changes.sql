CREATE TABLE `change_series` (
	`issue_id` integer NOT NULL,
	`actor_id` integer NOT NULL,
	`stamp` text NOT NULL,
	PRIMARY KEY(`issue_id`, `actor_id`)
);
--> statement-breakpoint
CREATE TABLE `stance_run` (
	`issue_id` integer NOT NULL,
	`actor_id` integer NOT NULL,
	`seq` integer NOT NULL,
	`from_date` text NOT NULL,
	`date_precision` text NOT NULL,
	`anchor_id` integer NOT NULL,
	`anchor_created_at` text NOT NULL,
	`position` real NOT NULL,
	`from_id` integer,
	`to_ids` text,
	`quote_before_id` integer,
	`quote_after_id` integer,
	`delta` real,
	`share` real,
	`direction` text,
	`toward` text,
	`class` text,
	`rule_class` text,
	`basis` text,
	`rule_basis` text,
	PRIMARY KEY(`issue_id`, `actor_id`, `seq`)
);
--> statement-breakpoint
CREATE INDEX `stance_run_series_date_idx` ON `stance_run` (`issue_id`,`actor_id`,`from_date`,`seq`);--> statement-breakpoint
CREATE INDEX `stance_run_newest_idx` ON `stance_run` (`from_date`,`anchor_created_at`,`anchor_id`);--> statement-breakpoint
CREATE INDEX `stance_run_actor_date_idx` ON `stance_run` (`actor_id`,`from_date`);