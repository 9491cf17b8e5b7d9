import { z } from "zod";
import { isoDate } from "../expenses/schemas";

export const REPORTS = ["revenue", "ar-aging", "unbilled", "expenses", "profitability"] as const;
export const reportParam = z.object({ orgId: z.string().min(1).max(64), report: z.enum(REPORTS) });
export const reportQuery = z.strictObject({ from: isoDate.optional(), to: isoDate.optional(), format: z.enum(["json", "csv"]).default("json") });

/** Answer (JSON); `format=csv` answers the same table as text/csv. */
export const reportView = z.object({
  title: z.string(),
  currency: z.string(),
  columns: z.array(z.string()),
  rows: z.array(z.array(z.union([z.string(), z.number(), z.null()]))),
  chart: z.object({ label: z.number().int(), value: z.number().int(), series: z.number().int().optional() }),
});
