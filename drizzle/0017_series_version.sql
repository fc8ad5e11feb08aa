CREATE TABLE `series_version` (
	`issue_id` integer NOT NULL,
	`actor_id` integer NOT NULL,
	`n` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`issue_id`, `actor_id`)
);
