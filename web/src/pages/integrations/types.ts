// Shapes of /api/workspaces/:id/integrations and /api/integrations/:id(/runs).

export type FieldSpec = { name: string; label: string; secret: boolean; placeholder?: string; help?: string };
export type Provider = { id: string; name: string; category: string; auth: "oauth2" | "api-key"; inputs: FieldSpec[] };

export type SyncRun = {
  id: string;
  reason: "initial" | "manual" | "scheduled";
  status: "running" | "succeeded" | "failed" | "cancelled";
  stream: string | null;
  streamsDone: number;
  streamsTotal: number;
  pages: number;
  rowsFetched: number;
  rowsWritten: number;
  retries: number;
  detail: string | null;
  /** What happened and what to do. */
  error: string | null;
  /** The provider's raw reason: answered to workspace admins only. */
  errorDetail?: string;
  startedAt: number;
  finishedAt: number | null;
  durationMs: number | null;
};

export type Integration = {
  id: string;
  provider: string;
  name: string;
  category: string | null;
  status: "active" | "syncing" | "needs_reconnect" | "error";
  label: string;
  account: Record<string, string>;
  scopes: string[];
  tokenExpiresAt: number | null;
  connectedAt: number;
  lastSyncAt: number | null;
  rowsSynced: number;
  lastError: string | null;
  /** Workspace admins only. */
  lastErrorDetail?: string;
  queued: boolean;
  progress: SyncRun | null;
};

export type IntegrationList = { providers: Provider[]; integrations: Integration[] };
