-- Context events change what every chart of their issue shows: each write bumps the data version
-- of that issue (scope = issue id; see 0003), in the same transaction, whoever makes it.
CREATE TRIGGER `context_event_insert_version` AFTER INSERT ON `context_event` BEGIN
	UPDATE `data_version` SET `n` = `n` + 1 WHERE `scope` = NEW.`issue_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `context_event_update_version` AFTER UPDATE ON `context_event` BEGIN
	UPDATE `data_version` SET `n` = `n` + 1 WHERE `scope` IN (OLD.`issue_id`, NEW.`issue_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `context_event_delete_version` AFTER DELETE ON `context_event` BEGIN
	UPDATE `data_version` SET `n` = `n` + 1 WHERE `scope` = OLD.`issue_id`;
END;
