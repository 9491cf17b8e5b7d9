import { z } from "zod";
import { isoDate } from "../expenses/schemas";

export const REPORTS = ["revenue", "ar-aging", "unbilled", "expenses", "profitability"] as const;
export const reportParam = z.object({ orgId: z.string().min(1).max(64), report: z.enum(REPORTS) });
export const reportQuery = z.strictObject({ from: isoDate.optional(), to: isoDate.optional(), format: z.enum(["json", "csv"]).default("json") });
