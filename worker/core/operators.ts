import type { MiddlewareHandler } from "hono";
import { eq, isNull } from "drizzle-orm";
import type { AppEnv } from "./context";
import type { Database } from "../db/client";
import { operators, users } from "../db/schema";
import { notFound } from "../lib/errors";

export async function isOperator(db: Database, userId: string) {
  const [row] = await db.select({ id: operators.id }).from(operators).where(eq(operators.userId, userId)).limit(1);
  return !!row;
}

/** Platform operators only (a role granted by `npm run operator:create`, never by signup); others get 404. */
export const requireOperator: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!(await isOperator(c.var.db, c.var.auth.userId))) throw notFound();
  await next();
};

export async function operatorRecipients(db: Database) {
  return db.select({ userId: users.id, email: users.email }).from(operators).innerJoin(users, eq(users.id, operators.userId)).where(isNull(users.deletedAt));
}
