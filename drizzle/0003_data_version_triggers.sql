-- The data version (see data_version in schema.ts): triggers bump a counter in the same
-- transaction as the write, whoever makes it. Scope -1: actors; an issue's id: that issue, its
-- scale labels, its events and their sources. The version of everything is the sum of the
-- counters. One counter per row written keeps a bulk insert's extra cost to one primary-key update.
INSERT INTO `data_version` (`scope`, `n`) VALUES (-1, 0);
--> statement-breakpoint
INSERT INTO `data_version` (`scope`, `n`) SELECT `id`, 0 FROM `issue`;
--> statement-breakpoint
CREATE TRIGGER `actor_insert_version` AFTER INSERT ON `actor` BEGIN
	UPDATE `data_version` SET `n` = `n` + 1 WHERE `scope` = -1;
END;
--> statement-breakpoint
CREATE TRIGGER `actor_update_version` AFTER UPDATE ON `actor` BEGIN
	UPDATE `data_version` SET `n` = `n` + 1 WHERE `scope` = -1;
END;
--> statement-breakpoint
CREATE TRIGGER `actor_delete_version` AFTER DELETE ON `actor` BEGIN
	UPDATE `data_version` SET `n` = `n` + 1 WHERE `scope` = -1;
END;
--> statement-breakpoint
CREATE TRIGGER `issue_insert_version` AFTER INSERT ON `issue` BEGIN
	INSERT OR IGNORE INTO `data_version` (`scope`, `n`) VALUES (NEW.`id`, 0);
	UPDATE `data_version` SET `n` = `n` + 1 WHERE `scope` = NEW.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `issue_update_version` AFTER UPDATE ON `issue` BEGIN
	UPDATE `data_version` SET `n` = `n` + 1 WHERE `scope` IN (OLD.`id`, NEW.`id`);
END;
--> statement-breakpoint
CREATE TRIGGER `issue_delete_version` AFTER DELETE ON `issue` BEGIN
	UPDATE `data_version` SET `n` = `n` + 1 WHERE `scope` = OLD.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `scale_label_insert_version` AFTER INSERT ON `scale_label` BEGIN
	UPDATE `data_version` SET `n` = `n` + 1 WHERE `scope` = NEW.`issue_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `scale_label_update_version` AFTER UPDATE ON `scale_label` BEGIN
	UPDATE `data_version` SET `n` = `n` + 1 WHERE `scope` IN (OLD.`issue_id`, NEW.`issue_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `scale_label_delete_version` AFTER DELETE ON `scale_label` BEGIN
	UPDATE `data_version` SET `n` = `n` + 1 WHERE `scope` = OLD.`issue_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `event_insert_version` AFTER INSERT ON `stance_event` BEGIN
	UPDATE `data_version` SET `n` = `n` + 1 WHERE `scope` = NEW.`issue_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `event_update_version` AFTER UPDATE ON `stance_event` BEGIN
	UPDATE `data_version` SET `n` = `n` + 1 WHERE `scope` IN (OLD.`issue_id`, NEW.`issue_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `event_delete_version` AFTER DELETE ON `stance_event` BEGIN
	UPDATE `data_version` SET `n` = `n` + 1 WHERE `scope` = OLD.`issue_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `source_insert_version` AFTER INSERT ON `source` BEGIN
	UPDATE `data_version` SET `n` = `n` + 1 WHERE `scope` = (SELECT `issue_id` FROM `stance_event` WHERE `id` = NEW.`event_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `source_update_version` AFTER UPDATE ON `source` BEGIN
	UPDATE `data_version` SET `n` = `n` + 1 WHERE `scope` IN ((SELECT `issue_id` FROM `stance_event` WHERE `id` = OLD.`event_id`), (SELECT `issue_id` FROM `stance_event` WHERE `id` = NEW.`event_id`));
END;
--> statement-breakpoint
CREATE TRIGGER `source_delete_version` AFTER DELETE ON `source` BEGIN
	UPDATE `data_version` SET `n` = `n` + 1 WHERE `scope` = (SELECT `issue_id` FROM `stance_event` WHERE `id` = OLD.`event_id`);
END;
