import { sqliteTable, text, integer, index } from "drizzle-orm/sqlite-core";
import { declareData } from "../registry";

/** Usage data (policy 1.4): every state-changing request writes one row. */
export const activityLog = sqliteTable(
  "activity_log",
  {
    id: text().primaryKey(),
    orgId: text(),
    userId: text(),
    action: text().notNull(),
    targetType: text(),
    targetId: text(),
    status: integer().notNull(),
    ip: text(),
    userAgent: text(),
    deviceClass: text(),
    createdAt: integer().notNull(),
  },
  (t) => [
    index("activity_org_time_idx").on(t.orgId, t.createdAt),
    index("activity_user_time_idx").on(t.userId, t.createdAt),
  ],
);
declareData(activityLog, {
  owners: { user: "user_id", organization: "org_id" },
  retention: { rule: "rolling", months: 12, column: "created_at" },
  export: {},
  purpose: "Usage data: actions taken, with IP, browser and device",
});
