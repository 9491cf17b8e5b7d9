-- Custom migration: metric_rollups_monthly counts the daily rows each month sums (`days`), and a
-- month left with none is deleted, so that a range covering most of a month can read the month less
-- its excluded days and still tell which values have a row in the range. The months are recounted
-- (and resummed) from the daily rows first; months that no daily row is left in go.
UPDATE metric_rollups_monthly SET (value, days) = (
  SELECT total(d.value), count(*) FROM metric_rollups d
  WHERE d.integration_id = metric_rollups_monthly.integration_id AND d.metric = metric_rollups_monthly.metric AND d.dimension = metric_rollups_monthly.dimension
    AND d.dimension_value = metric_rollups_monthly.dimension_value AND d.day BETWEEN metric_rollups_monthly.month || '-01' AND metric_rollups_monthly.month || '-31'
    AND d.currency = metric_rollups_monthly.currency);
--> statement-breakpoint
DELETE FROM metric_rollups_monthly WHERE days = 0;
--> statement-breakpoint
DROP TRIGGER metric_rollups_month_insert;
--> statement-breakpoint
DROP TRIGGER metric_rollups_month_delete;
--> statement-breakpoint
CREATE TRIGGER metric_rollups_month_insert AFTER INSERT ON metric_rollups WHEN NEW.metric NOT IN ('list_members', 'social_followers') BEGIN
  INSERT INTO metric_rollups_monthly (integration_id, org_id, workspace_id, source, metric, dimension, dimension_value, label, month, currency, value, days)
  VALUES (NEW.integration_id, NEW.org_id, NEW.workspace_id, NEW.source, NEW.metric, NEW.dimension, NEW.dimension_value, NEW.label, substr(NEW.day, 1, 7), NEW.currency, NEW.value, 1)
  ON CONFLICT (integration_id, metric, dimension, dimension_value, month, currency) DO UPDATE SET value = value + excluded.value, days = days + 1, label = COALESCE(excluded.label, label);
END;
--> statement-breakpoint
CREATE TRIGGER metric_rollups_month_delete AFTER DELETE ON metric_rollups WHEN OLD.metric NOT IN ('list_members', 'social_followers') BEGIN
  UPDATE metric_rollups_monthly SET value = value - OLD.value, days = days - 1 WHERE integration_id = OLD.integration_id AND metric = OLD.metric AND dimension = OLD.dimension AND dimension_value = OLD.dimension_value AND month = substr(OLD.day, 1, 7) AND currency = OLD.currency;
  DELETE FROM metric_rollups_monthly WHERE integration_id = OLD.integration_id AND metric = OLD.metric AND dimension = OLD.dimension AND dimension_value = OLD.dimension_value AND month = substr(OLD.day, 1, 7) AND currency = OLD.currency AND days <= 0;
END;
