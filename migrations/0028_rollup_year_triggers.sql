-- Custom migration: keeps metric_rollups_yearly equal to the yearly sums of metric_rollups (and the
-- count of daily rows each year sums, a year left with none deleted) for every writer of the daily
-- rows, like the month triggers (0015, 0024); snapshot metrics excluded. The years are filled from
-- the months first (equal to the daily rows, and a fraction of them to read).
INSERT INTO metric_rollups_yearly (integration_id, org_id, workspace_id, source, metric, dimension, dimension_value, label, year, currency, value, days)
SELECT integration_id, org_id, workspace_id, source, metric, dimension, dimension_value, max(label), substr(month, 1, 4), currency, sum(value), sum(days)
FROM metric_rollups_monthly GROUP BY integration_id, metric, dimension, dimension_value, substr(month, 1, 4), currency;
--> statement-breakpoint
CREATE TRIGGER metric_rollups_year_insert AFTER INSERT ON metric_rollups WHEN NEW.metric NOT IN ('list_members', 'social_followers') BEGIN
  INSERT INTO metric_rollups_yearly (integration_id, org_id, workspace_id, source, metric, dimension, dimension_value, label, year, currency, value, days)
  VALUES (NEW.integration_id, NEW.org_id, NEW.workspace_id, NEW.source, NEW.metric, NEW.dimension, NEW.dimension_value, NEW.label, substr(NEW.day, 1, 4), NEW.currency, NEW.value, 1)
  ON CONFLICT (integration_id, metric, dimension, dimension_value, year, currency) DO UPDATE SET value = value + excluded.value, days = days + 1, label = COALESCE(excluded.label, label);
END;
--> statement-breakpoint
CREATE TRIGGER metric_rollups_year_delete AFTER DELETE ON metric_rollups WHEN OLD.metric NOT IN ('list_members', 'social_followers') BEGIN
  UPDATE metric_rollups_yearly SET value = value - OLD.value, days = days - 1 WHERE integration_id = OLD.integration_id AND metric = OLD.metric AND dimension = OLD.dimension AND dimension_value = OLD.dimension_value AND year = substr(OLD.day, 1, 4) AND currency = OLD.currency;
  DELETE FROM metric_rollups_yearly WHERE integration_id = OLD.integration_id AND metric = OLD.metric AND dimension = OLD.dimension AND dimension_value = OLD.dimension_value AND year = substr(OLD.day, 1, 4) AND currency = OLD.currency AND days <= 0;
END;
--> statement-breakpoint
CREATE TRIGGER metric_rollups_year_update AFTER UPDATE OF value, label ON metric_rollups WHEN NEW.metric NOT IN ('list_members', 'social_followers') BEGIN
  UPDATE metric_rollups_yearly SET value = value - OLD.value + NEW.value, label = COALESCE(NEW.label, label) WHERE integration_id = OLD.integration_id AND metric = OLD.metric AND dimension = OLD.dimension AND dimension_value = OLD.dimension_value AND year = substr(OLD.day, 1, 4) AND currency = OLD.currency;
END;
