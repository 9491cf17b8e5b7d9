import { Hono } from "hono";
import type { AppEnv } from "../../core/context";
import { doc } from "../../lib/validate";
import { currentPolicy } from "../policy";
import { bannerView } from "./schemas";
import { CATEGORIES } from "./service";

/** Public: what the consent banner offers. Choices live in the browser, and per user via /api/privacy/consents. */
export const consentRoutes = new Hono<AppEnv>().get(
  "/",
  doc({ summary: "The cookie categories of the consent banner and the policy version they are asked under", tags: ["privacy"], public: true, response: bannerView }),
  async (c) => c.json({ categories: CATEGORIES, policyVersion: (await currentPolicy({ ctx: c.var.ctx })).version }),
);
