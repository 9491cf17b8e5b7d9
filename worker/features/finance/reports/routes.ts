import { Hono } from "hono";
import type { AppEnv } from "../../../core/context";
import { doc, validate } from "../../../lib/validate";
import { ctxOf } from "../context";
import { toCsv } from "./csv";
import { reportParam, reportQuery, reportView } from "./schemas";
import { runReport } from "./service";

export const reportRoutes = new Hono<AppEnv>().get(
  "/reports/:report",
  doc({ summary: "A finance report (revenue, ar-aging, unbilled, expenses, profitability) as JSON or CSV", tags: ["finance: reports"], response: reportView, media: "text/csv" }),
  validate("param", reportParam),
  validate("query", reportQuery),
  async (c) => {
    const { report } = c.req.valid("param");
    const q = c.req.valid("query");
    const out = await runReport({ ctx: ctxOf(c), input: { report, from: q.from, to: q.to } });
    if (q.format === "csv") return c.body(toCsv(out.columns, out.rows), 200, { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${report}.csv"` });
    return c.json(out);
  },
);
