CREATE TABLE `login_failure` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `login_failure_key_at` ON `login_failure` (`key`,`at`);--> statement-breakpoint
CREATE INDEX `login_failure_at` ON `login_failure` (`at`);--> statement-breakpoint
CREATE TABLE `startup_claim` (
	`name` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL
);
