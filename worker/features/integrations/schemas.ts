import { z } from "zod";
import { integrationStatuses, syncReasons, syncRunStatuses } from "../../db/schema";

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

export const providerView = z.object({
  id: z.string(),
  name: z.string(),
  category: z.string(),
  auth: z.enum(["oauth2", "api-key"]),
  inputs: z.array(z.object({ name: z.string(), label: z.string(), secret: z.boolean(), placeholder: z.string().optional(), help: z.string().optional() })),
});

export const runView = z.object({
  id: z.string(),
  reason: z.enum(syncReasons),
  status: z.enum(syncRunStatuses),
  stream: z.string().nullable(),
  streamsDone: z.number(),
  streamsTotal: z.number(),
  pages: z.number(),
  rowsFetched: z.number(),
  rowsWritten: z.number(),
  retries: z.number(),
  detail: z.string().nullable(),
  /** What happened and what to do. */
  error: z.string().nullable(),
  /** The provider's raw reason: answered to workspace admins only. */
  errorDetail: z.string().optional(),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  durationMs: z.number().nullable(),
});

/** What the API shows of an integration: status and figures, never a credential. */
export const integrationView = z.object({
  id: z.string(),
  workspaceId: z.string(),
  provider: z.string(),
  name: z.string(),
  category: z.string().nullable(),
  /** The stored status, or "syncing" while a run is in progress. */
  status: z.enum([...integrationStatuses, "syncing"]),
  label: z.string(),
  account: z.record(z.string(), z.string()),
  scopes: z.array(z.string()),
  tokenExpiresAt: z.number().nullable(),
  /** Set when the token cannot renew itself (Meta) and ends within 7 days: "Reconnect before <date>". */
  reconnectBy: z.number().nullable(),
  connectedAt: z.number(),
  lastSyncAt: z.number().nullable(),
  rowsSynced: z.number(),
  lastError: z.string().nullable(),
  /** Workspace admins only. */
  lastErrorDetail: z.string().optional(),
  syncIntervalMinutes: z.number(),
  queued: z.boolean(),
  progress: runView.nullable(),
});

export const integrationListView = z.object({ providers: z.array(providerView), integrations: z.array(integrationView) });
export const connectStartedView = z.object({ kind: z.literal("redirect"), authorizeUrl: z.string() });
export const connectedView = z.object({ kind: z.literal("connected"), integration: integrationView });
export const runsListView = z.object({ runs: z.array(runView) });
export const syncQueuedView = z.object({ state: z.enum(["queued", "coalesced", "running"]) });
export const rotationView = z.object({ rotated: z.number(), unreadable: z.number(), remaining: z.number(), currentKeyId: z.string() });
