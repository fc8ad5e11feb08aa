CREATE TABLE `write_guard` (
	`reason` text NOT NULL,
	CONSTRAINT "stale_version" CHECK("write_guard"."reason" <> 'stale_version'),
	CONSTRAINT "stranded_events" CHECK("write_guard"."reason" <> 'stranded_events')
);
