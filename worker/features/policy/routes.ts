import { Hono } from "hono";
import type { AppEnv } from "../../core/context";
import { doc } from "../../lib/validate";
import { policyVersionsView } from "./schemas";
import { listVersions } from "./versions";

/** Public: the history of the privacy policy (the current text is GET /api/policy/text). */
export const policyRoutes = new Hono<AppEnv>().get(
  "/versions",
  doc({ summary: "Every version of the privacy policy with its effective date and whether the change was material", tags: ["meta"], public: true, response: policyVersionsView }),
  async (c) => c.json({ versions: (await listVersions({ ctx: c.var.ctx })).map(({ text: _t, ...v }) => v) }),
);
