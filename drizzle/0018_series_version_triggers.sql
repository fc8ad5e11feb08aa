-- series_version (see schema.ts): a counter per (issue, actor) series, bumped in the same
-- transaction as every update or delete of its events (soft deletes and restores are updates),
-- every update or delete of their sources and every class confirmation given, changed or taken
-- back, whoever writes. Inserts are left to issue_actor_activity (its count moves), so a bulk
-- import pays nothing more per row; a source is only ever added with its event's insert or update.
CREATE TRIGGER `event_update_series_version` AFTER UPDATE ON `stance_event` BEGIN
	INSERT INTO `series_version` (`issue_id`, `actor_id`, `n`) VALUES (OLD.`issue_id`, OLD.`actor_id`, 1)
		ON CONFLICT (`issue_id`, `actor_id`) DO UPDATE SET `n` = `n` + 1;
	INSERT INTO `series_version` (`issue_id`, `actor_id`, `n`) VALUES (NEW.`issue_id`, NEW.`actor_id`, 1)
		ON CONFLICT (`issue_id`, `actor_id`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `event_delete_series_version` AFTER DELETE ON `stance_event` BEGIN
	INSERT INTO `series_version` (`issue_id`, `actor_id`, `n`) VALUES (OLD.`issue_id`, OLD.`actor_id`, 1)
		ON CONFLICT (`issue_id`, `actor_id`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `source_update_series_version` AFTER UPDATE ON `source` BEGIN
	INSERT INTO `series_version` (`issue_id`, `actor_id`, `n`)
		SELECT `issue_id`, `actor_id`, 1 FROM `stance_event` WHERE `id` IN (OLD.`event_id`, NEW.`event_id`)
		ON CONFLICT (`issue_id`, `actor_id`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `source_delete_series_version` AFTER DELETE ON `source` BEGIN
	INSERT INTO `series_version` (`issue_id`, `actor_id`, `n`)
		SELECT `issue_id`, `actor_id`, 1 FROM `stance_event` WHERE `id` = OLD.`event_id`
		ON CONFLICT (`issue_id`, `actor_id`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `class_confirmation_insert_series_version` AFTER INSERT ON `class_confirmation` BEGIN
	INSERT INTO `series_version` (`issue_id`, `actor_id`, `n`)
		SELECT `issue_id`, `actor_id`, 1 FROM `stance_event` WHERE `id` = NEW.`event_id`
		ON CONFLICT (`issue_id`, `actor_id`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `class_confirmation_update_series_version` AFTER UPDATE ON `class_confirmation` BEGIN
	INSERT INTO `series_version` (`issue_id`, `actor_id`, `n`)
		SELECT `issue_id`, `actor_id`, 1 FROM `stance_event` WHERE `id` IN (OLD.`event_id`, NEW.`event_id`)
		ON CONFLICT (`issue_id`, `actor_id`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `class_confirmation_delete_series_version` AFTER DELETE ON `class_confirmation` BEGIN
	INSERT INTO `series_version` (`issue_id`, `actor_id`, `n`)
		SELECT `issue_id`, `actor_id`, 1 FROM `stance_event` WHERE `id` = OLD.`event_id`
		ON CONFLICT (`issue_id`, `actor_id`) DO UPDATE SET `n` = `n` + 1;
END;
