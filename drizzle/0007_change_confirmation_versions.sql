-- A confirmation or override changes what views of its issue show: bump that issue's data
-- version in the same transaction, as 0003 does for events.
CREATE TRIGGER `class_confirmation_insert_version` AFTER INSERT ON `class_confirmation` BEGIN
	UPDATE `data_version` SET `n` = `n` + 1 WHERE `scope` = (SELECT `issue_id` FROM `stance_event` WHERE `id` = NEW.`event_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `class_confirmation_update_version` AFTER UPDATE ON `class_confirmation` BEGIN
	UPDATE `data_version` SET `n` = `n` + 1 WHERE `scope` = (SELECT `issue_id` FROM `stance_event` WHERE `id` = NEW.`event_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `class_confirmation_delete_version` AFTER DELETE ON `class_confirmation` BEGIN
	UPDATE `data_version` SET `n` = `n` + 1 WHERE `scope` = (SELECT `issue_id` FROM `stance_event` WHERE `id` = OLD.`event_id`);
END;
