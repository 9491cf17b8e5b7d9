import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { doc } from "../../lib/validate";
import { CURRENT_POLICY } from "../policy/current";

export const healthRoutes = new Hono<AppEnv>()
  .get("/health", doc({ summary: "Liveness check", tags: ["meta"], public: true }), (c) =>
    c.json({ ok: true }),
  )
  .get("/policy", doc({ summary: "The privacy policy version in force", tags: ["meta"], public: true }), (c) =>
    c.json({ version: CURRENT_POLICY.version, effectiveDate: CURRENT_POLICY.effectiveDate }),
  )
  .get("/policy/text", doc({ summary: "The full privacy policy text", tags: ["meta"], public: true }), (c) =>
    c.json(CURRENT_POLICY),
  );
