import { Hono } from "hono";
import type { AppEnv } from "../../core/context";
import { doc } from "../../lib/validate";
import { currentPolicy } from "../policy";
import { z } from "zod";
import { policyInForceView, policyTextView } from "../policy";

export const healthRoutes = new Hono<AppEnv>()
  .get("/health", doc({ summary: "Liveness check", tags: ["meta"], public: true, response: z.object({ ok: z.literal(true) }) }), (c) =>
    c.json({ ok: true }),
  )
  .get("/policy", doc({ summary: "The privacy policy version in force", tags: ["meta"], public: true, response: policyInForceView }), async (c) => {
    const p = await currentPolicy({ ctx: c.var.ctx });
    return c.json({ version: p.version, effectiveDate: p.effectiveDate });
  })
  .get("/policy/text", doc({ summary: "The full privacy policy text", tags: ["meta"], public: true, response: policyTextView }), async (c) => {
    const p = await currentPolicy({ ctx: c.var.ctx });
    return c.json({ version: p.version, effectiveDate: p.effectiveDate, title: p.title, text: p.text, summary: p.summary, material: p.material });
  });
