import { sqliteTable, text, integer, index } from "drizzle-orm/sqlite-core";
import { declareData } from "../registry";

/**
 * Local development mailbox: where outbound email lands when no delivery provider is configured.
 * Never written in production.
 */
export const devMailbox = sqliteTable(
  "dev_mailbox",
  {
    id: text().primaryKey(),
    messageId: text().notNull(),
    userId: text(),
    to: text().notNull(),
    subject: text().notNull(),
    text: text().notNull(),
    /** What was attached (name, type, size), as the provider would have received it. */
    attachments: text({ mode: "json" }).$type<{ filename: string; contentType: string; sizeBytes: number; r2Key: string }[]>().notNull().default([]),
    createdAt: integer().notNull(),
  },
  (t) => [index("dev_mailbox_time_idx").on(t.createdAt), index("dev_mailbox_to_idx").on(t.to)],
);
declareData(devMailbox, {
  // Mail to an address (a reset link, an invitation) often has no user id: it is the user's all the same.
  owners: { user: { column: "user_id", alsoMatching: { column: "to", rootColumn: "email" } } },
  retention: { rule: "rolling", months: 1, column: "created_at" },
  export: {},
  purpose: "Local-only copy of outbound email for development",
});
