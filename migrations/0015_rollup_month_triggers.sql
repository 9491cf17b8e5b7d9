-- Custom migration: keeps metric_rollups_monthly equal to the monthly sums of metric_rollups for
-- every writer of the daily rows (snapshot metrics, which are not summed over time, excluded).
-- The month table is filled from the rows already there first.
INSERT INTO metric_rollups_monthly (integration_id, org_id, workspace_id, source, metric, dimension, dimension_value, label, month, currency, value)
SELECT integration_id, org_id, workspace_id, source, metric, dimension, dimension_value, max(label), substr(day, 1, 7), currency, sum(value)
FROM metric_rollups WHERE metric NOT IN ('list_members', 'social_followers') GROUP BY integration_id, metric, dimension, dimension_value, substr(day, 1, 7), currency;
--> statement-breakpoint
CREATE TRIGGER metric_rollups_month_insert AFTER INSERT ON metric_rollups WHEN NEW.metric NOT IN ('list_members', 'social_followers') BEGIN
  INSERT INTO metric_rollups_monthly (integration_id, org_id, workspace_id, source, metric, dimension, dimension_value, label, month, currency, value)
  VALUES (NEW.integration_id, NEW.org_id, NEW.workspace_id, NEW.source, NEW.metric, NEW.dimension, NEW.dimension_value, NEW.label, substr(NEW.day, 1, 7), NEW.currency, NEW.value)
  ON CONFLICT (integration_id, metric, dimension, dimension_value, month, currency) DO UPDATE SET value = value + excluded.value, label = COALESCE(excluded.label, label);
END;
--> statement-breakpoint
CREATE TRIGGER metric_rollups_month_delete AFTER DELETE ON metric_rollups WHEN OLD.metric NOT IN ('list_members', 'social_followers') BEGIN
  UPDATE metric_rollups_monthly SET value = value - OLD.value WHERE integration_id = OLD.integration_id AND metric = OLD.metric AND dimension = OLD.dimension AND dimension_value = OLD.dimension_value AND month = substr(OLD.day, 1, 7) AND currency = OLD.currency;
END;
--> statement-breakpoint
CREATE TRIGGER metric_rollups_month_update AFTER UPDATE OF value, label ON metric_rollups WHEN NEW.metric NOT IN ('list_members', 'social_followers') BEGIN
  UPDATE metric_rollups_monthly SET value = value - OLD.value + NEW.value, label = COALESCE(NEW.label, label) WHERE integration_id = OLD.integration_id AND metric = OLD.metric AND dimension = OLD.dimension AND dimension_value = OLD.dimension_value AND month = substr(OLD.day, 1, 7) AND currency = OLD.currency;
END;
