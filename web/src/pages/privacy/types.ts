export type Flags = { restricted: boolean; objected: boolean; saleOptOut?: boolean };
export type Consent = { functional: boolean; analytics: boolean; policyVersion: string | null; decidedAt: number | null };
export type DsrRequest = {
  id: string;
  regime: "gdpr" | "ccpa";
  kind: string;
  source: string;
  status: "received" | "verifying" | "in-progress" | "completed" | "rejected" | "cancelled";
  verification: string;
  details: string | null;
  actions: string[];
  attachment: { name: string } | null;
  receivedAt: number;
  dueAt: number;
  completedAt: number | null;
  overdue: boolean;
  orgId: string | null;
  email?: string | null;
  userId?: string | null;
};
export type DsrEvent = { id: string; at: number; actor: string; action: string; note: string | null };
export type ExportJob = {
  id: string;
  status: "queued" | "running" | "ready" | "failed";
  rowsTotal: number;
  rowsDone: number;
  tablesTotal: number;
  tablesDone: number;
  percent: number;
  files: number;
  bytes: number;
  error: string | null;
  createdAt: number;
  completedAt: number | null;
  expiresAt: number;
};
export type Overview = {
  processing: Required<Flags>;
  consent: Consent;
  policy: { current: { version: string; effectiveDate: string; title: string; material: boolean }; acceptanceRequired: boolean; acceptances: { version: string; acceptedAt: number }[] };
  requests: DsrRequest[];
  exports: ExportJob[];
  lastExport: { jobId: string; completedAt: number; rows: number; tables: number; files: number; bytes: number } | null;
  organizations: { id: string; name: string; role: string; restricted: boolean; objected: boolean; deletedAt: number | null; purgeAfter: number | null }[];
  inventory: { name: string; kind: string; purpose: string; retention: string; exported: boolean; about: string[] }[];
};

export const kindLabel: Record<string, string> = {
  access: "Access (copy of my data)",
  portability: "Portability (machine-readable copy)",
  rectification: "Rectification (correct my data)",
  erasure: "Erasure (delete my account)",
  restriction: "Restriction of processing",
  objection: "Objection to processing",
  "consent-withdrawal": "Consent withdrawal",
  know: "Right to know (CCPA)",
  delete: "Right to delete (CCPA)",
  "opt-out-sale": "Opt-out of sale (CCPA)",
};

export const statusTone = (s: DsrRequest["status"]) =>
  s === "completed" ? "success" : s === "rejected" || s === "cancelled" ? "neutral" : s === "verifying" ? "warning" : "info";

export const formatBytes = (n: number) => (n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`);
