import { z } from "zod";

export const appParam = z.object({ provider: z.string().min(1).max(40) });
export const hookParam = z.object({ provider: z.string().min(1).max(40), integrationId: z.string().min(1).max(64) });
export const receivedView = z.object({ received: z.literal(true), applied: z.number(), duplicate: z.boolean().optional() });
export const okView = z.object({ ok: z.literal(true) });
