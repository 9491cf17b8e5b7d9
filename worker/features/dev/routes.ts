import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../core/context";
import { isLocal } from "../../env";
import { desc, eq } from "drizzle-orm";
import { devMailbox } from "../../db/schema";
import { notFound } from "../../lib/errors";
import { doc, validate } from "../../lib/validate";
import { DEMO_DEFAULT_PASSWORD, seedDemo, seedDemoIntegrations } from "./seed";

/** Local development only: in production every route here answers 404. */
export const devRoutes = new Hono<AppEnv>()
  .use(async (c, next) => {
    if (!isLocal(c.var.config)) throw notFound();
    await next();
  })
  .post(
    "/seed",
    doc({ summary: "Seed the local demo organization (local development only)", tags: ["dev"], public: true }),
    validate("json", z.strictObject({ password: z.string().min(12).max(128).optional() })),
    async (c) => {
      const { password } = c.req.valid("json");
      const seed = await seedDemo(c.var.db, password ?? DEMO_DEFAULT_PASSWORD);
      await seedDemoIntegrations(c.env, c.var.db, seed);
      return c.json(seed);
    },
  )
  .get(
    "/mailbox",
    doc({ summary: "Outbound email caught locally, newest first (local development only)", tags: ["dev"], public: true }),
    validate("query", z.strictObject({ to: z.string().trim().toLowerCase().max(254).optional() })),
    async (c) => {
      const { to } = c.req.valid("query");
      const messages = await c.var.db
        .select({ id: devMailbox.id, to: devMailbox.to, subject: devMailbox.subject, text: devMailbox.text, createdAt: devMailbox.createdAt })
        .from(devMailbox)
        .where(to ? eq(devMailbox.to, to) : undefined)
        .orderBy(desc(devMailbox.createdAt), desc(devMailbox.id))
        .limit(100);
      return c.json({ messages });
    },
  );
