import { sqliteTable, text, integer, index, uniqueIndex } from "drizzle-orm/sqlite-core";
import { declareData } from "../registry";

export const users = sqliteTable(
  "users",
  {
    id: text().primaryKey(),
    email: text().notNull(),
    name: text().notNull(),
    passwordHash: text().notNull(),
    birthDate: text().notNull(),
    createdAt: integer().notNull(),
    updatedAt: integer().notNull(),
    // Privacy (worker/features/privacy): erasure with a grace period, and processing flags.
    deletedAt: integer(),
    /** Erased by the daily retention run once this has passed (at most 30 days after deletedAt). */
    purgeAfter: integer(),
    restrictedAt: integer(),
    objectedAt: integer(),
    saleOptOutAt: integer(),
  },
  (t) => [uniqueIndex("users_email_uq").on(t.email), index("users_purge_idx").on(t.purgeAfter)],
);
declareData(users, {
  owners: { user: "id" },
  retention: { rule: "expires", column: "purge_after" },
  export: { omit: ["password_hash"] },
  purpose: "Account: name, email, birth date (age check), bcrypt password hash",
});

/** A login session: one refresh-token family. Access tokens carry its id so revocation is immediate. */
export const sessions = sqliteTable(
  "sessions",
  {
    id: text().primaryKey(),
    userId: text().notNull().references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer().notNull(),
    lastUsedAt: integer().notNull(),
    expiresAt: integer().notNull(),
    revokedAt: integer(),
    revokedReason: text(),
    ip: text(),
    userAgent: text(),
  },
  (t) => [index("sessions_user_idx").on(t.userId, t.createdAt)],
);
declareData(sessions, {
  owners: { user: "user_id" },
  retention: { rule: "expires", column: "expires_at" },
  export: {},
  purpose: "Sign-in sessions (device, IP) for security and sign-out everywhere",
});

export const refreshTokens = sqliteTable(
  "refresh_tokens",
  {
    id: text().primaryKey(),
    sessionId: text().notNull().references(() => sessions.id, { onDelete: "cascade" }),
    userId: text().notNull().references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text().notNull(),
    createdAt: integer().notNull(),
    expiresAt: integer().notNull(),
    usedAt: integer(),
  },
  (t) => [
    uniqueIndex("refresh_tokens_hash_uq").on(t.tokenHash),
    index("refresh_tokens_session_idx").on(t.sessionId),
  ],
);
declareData(refreshTokens, {
  owners: { user: "user_id" },
  retention: { rule: "expires", column: "expires_at" },
  export: false,
  purpose: "Hashes of rotating refresh tokens",
});

export const passwordResets = sqliteTable(
  "password_resets",
  {
    id: text().primaryKey(),
    userId: text().notNull().references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text().notNull(),
    createdAt: integer().notNull(),
    expiresAt: integer().notNull(),
    usedAt: integer(),
  },
  (t) => [uniqueIndex("password_resets_hash_uq").on(t.tokenHash)],
);
declareData(passwordResets, {
  owners: { user: "user_id" },
  retention: { rule: "expires", column: "expires_at" },
  export: false,
  purpose: "Single-use password reset tokens (hashed)",
});

export const policyAcceptances = sqliteTable(
  "policy_acceptances",
  {
    id: text().primaryKey(),
    userId: text().notNull().references(() => users.id, { onDelete: "cascade" }),
    version: text().notNull(),
    acceptedAt: integer().notNull(),
    ip: text(),
  },
  (t) => [index("policy_acceptances_user_idx").on(t.userId, t.acceptedAt)],
);
declareData(policyAcceptances, {
  owners: { user: "user_id" },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Record of which privacy policy versions the user accepted",
});
