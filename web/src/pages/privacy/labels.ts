import type { DsrRequest } from "../../lib/api/privacy";

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
