import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../env";
import { isLocal } from "../../env";
import { notFound } from "../../lib/errors";
import { doc, validate } from "../../lib/validate";
import { DEMO_DEFAULT_PASSWORD, seedDemo } from "./seed";

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
      return c.json(await seedDemo(c.var.db, password ?? DEMO_DEFAULT_PASSWORD));
    },
  );
