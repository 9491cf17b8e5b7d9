import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../core/context";
import { doc, validate } from "../../lib/validate";
import { requireOperator } from "../../core/operators";
import { rotationView } from "./schemas";
import { ROTATION_BATCH, rotateVaultBatch } from "./rotate";
import { rotateFinanceSecretsBatch } from "../finance";

/**
 * Key rotation (platform operators): after VAULT_KEYS gets a new `current` key (the old ones stay
 * in `keys`), each call re-encrypts one bounded batch; repeat until `remaining` is 0
 * (`npm run vault:rotate` does the loop), then the old key can be dropped from the keyring.
 */
export const vaultRoutes = new Hono<AppEnv>().post(
  "/rotate",
  doc({ summary: "Re-encrypt one batch of integration credentials and agency Stripe secrets to the current vault key (operators)", tags: ["operator"], response: rotationView, activity: { action: "operator.vault.rotate" } }),
  requireOperator,
  validate("json", z.strictObject({ limit: z.number().int().min(1).max(500).default(ROTATION_BATCH) })),
  async (c) => {
    const { limit } = c.req.valid("json");
    const credentials = await rotateVaultBatch(c.env, limit);
    // The batch budget left over goes to the finance secrets (the agencies' own Stripe keys).
    const finance = await rotateFinanceSecretsBatch(c.env, c.var.db, limit - credentials.rotated - credentials.unreadable);
    return c.json({ ...credentials, rotated: credentials.rotated + finance.rotated, unreadable: credentials.unreadable + finance.unreadable, remaining: credentials.remaining + finance.remaining });
  },
);
