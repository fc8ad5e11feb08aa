CREATE TABLE `data_version` (
	`scope` integer PRIMARY KEY NOT NULL,
	`n` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
DROP INDEX `event_speaker_idx`;--> statement-breakpoint
CREATE INDEX `event_speaker_issue_date_idx` ON `stance_event` (`speaker_id`,`issue_id`,`date`);