CREATE TABLE `issue_actor_activity` (
	`issue_id` integer NOT NULL,
	`actor_id` integer NOT NULL,
	`events` integer NOT NULL,
	`first` text NOT NULL,
	`last` text NOT NULL,
	PRIMARY KEY(`issue_id`, `actor_id`)
);
--> statement-breakpoint
CREATE TABLE `issue_featured_actor` (
	`issue_id` integer NOT NULL,
	`actor_id` integer NOT NULL,
	`ordinal` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`issue_id`, `actor_id`),
	FOREIGN KEY (`issue_id`) REFERENCES `issue`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`actor_id`) REFERENCES `actor`(`id`) ON UPDATE no action ON DELETE cascade
);
