-- issue_actor_activity (see schema.ts): live events per (issue, actor) with first and last dates,
-- kept in the same transaction as every write to stance_event, whoever makes it. An insert adds
-- one; any change to an event's actor, issue, date or deletion recounts the pairs it left and
-- joined (a seek on the (actor, issue, date) index; writes of single events are rare and small).
INSERT INTO `issue_actor_activity` (`issue_id`, `actor_id`, `events`, `first`, `last`)
	SELECT `issue_id`, `actor_id`, count(*), min(`date`), max(`date`) FROM `stance_event`
	WHERE `deleted_at` IS NULL GROUP BY `issue_id`, `actor_id`;
--> statement-breakpoint
CREATE TRIGGER `event_insert_activity` AFTER INSERT ON `stance_event` WHEN NEW.`deleted_at` IS NULL BEGIN
	INSERT INTO `issue_actor_activity` (`issue_id`, `actor_id`, `events`, `first`, `last`)
		VALUES (NEW.`issue_id`, NEW.`actor_id`, 1, NEW.`date`, NEW.`date`)
		ON CONFLICT (`issue_id`, `actor_id`) DO UPDATE SET
			`events` = `events` + 1,
			`first` = min(`first`, excluded.`first`),
			`last` = max(`last`, excluded.`last`);
END;
--> statement-breakpoint
CREATE TRIGGER `event_update_activity` AFTER UPDATE OF `actor_id`, `issue_id`, `date`, `deleted_at` ON `stance_event` BEGIN
	DELETE FROM `issue_actor_activity` WHERE (`issue_id` = OLD.`issue_id` AND `actor_id` = OLD.`actor_id`) OR (`issue_id` = NEW.`issue_id` AND `actor_id` = NEW.`actor_id`);
	INSERT OR REPLACE INTO `issue_actor_activity` (`issue_id`, `actor_id`, `events`, `first`, `last`)
		SELECT `issue_id`, `actor_id`, count(*), min(`date`), max(`date`) FROM `stance_event`
		WHERE `deleted_at` IS NULL AND ((`actor_id` = OLD.`actor_id` AND `issue_id` = OLD.`issue_id`) OR (`actor_id` = NEW.`actor_id` AND `issue_id` = NEW.`issue_id`))
		GROUP BY `issue_id`, `actor_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `event_delete_activity` AFTER DELETE ON `stance_event` BEGIN
	DELETE FROM `issue_actor_activity` WHERE `issue_id` = OLD.`issue_id` AND `actor_id` = OLD.`actor_id`;
	INSERT INTO `issue_actor_activity` (`issue_id`, `actor_id`, `events`, `first`, `last`)
		SELECT `issue_id`, `actor_id`, count(*), min(`date`), max(`date`) FROM `stance_event`
		WHERE `deleted_at` IS NULL AND `actor_id` = OLD.`actor_id` AND `issue_id` = OLD.`issue_id`
		GROUP BY `issue_id`, `actor_id`;
END;
--> statement-breakpoint
-- Featuring actors changes what an issue page shows: bump its data version (see 0003).
CREATE TRIGGER `featured_insert_version` AFTER INSERT ON `issue_featured_actor` BEGIN
	UPDATE `data_version` SET `n` = `n` + 1 WHERE `scope` = NEW.`issue_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `featured_update_version` AFTER UPDATE ON `issue_featured_actor` BEGIN
	UPDATE `data_version` SET `n` = `n` + 1 WHERE `scope` IN (OLD.`issue_id`, NEW.`issue_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `featured_delete_version` AFTER DELETE ON `issue_featured_actor` BEGIN
	UPDATE `data_version` SET `n` = `n` + 1 WHERE `scope` = OLD.`issue_id`;
END;
