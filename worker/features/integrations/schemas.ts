import { z } from "zod";

export const providerParam = z.object({ workspaceId: z.string().min(1).max(64), provider: z.string().min(1).max(40) });
export const integrationParam = z.object({ integrationId: z.string().min(1).max(64) });

/** What the connect form sends: the provider's inputs by name (shop domain, store URL, API key…). */
export const connectBody = z.strictObject({
  fields: z.record(z.string().min(1).max(64), z.string().max(2000)).default({}),
});

export const runsQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) });

export const callbackQuery = z.record(z.string(), z.string().max(4000));

export const syncQuery = z.object({
  /** Re-read everything from scratch instead of what changed since the last sync. */
  full: z.enum(["true", "false"]).optional(),
});
