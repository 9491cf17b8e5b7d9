import { z } from "zod";

export const MIN_TIMESTAMP_MS = Date.UTC(2000, 0, 1);
export const MAX_TIMESTAMP_MS = Date.UTC(2100, 0, 1);

/** A timestamp input in integer ms UTC, bounded so that date math on it can never overflow. */
export const timestampMs = z
  .number()
  .int()
  .min(MIN_TIMESTAMP_MS, "Timestamp must be on or after 2000-01-01")
  .max(MAX_TIMESTAMP_MS, "Timestamp must be before 2100-01-01");
