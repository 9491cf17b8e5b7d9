import { call, expectStatus, newTenant, newWorkspace, type Json, type Tenant } from "../support/harness";

export type Agency = Tenant & { workspaceId: string; fin: (path: string) => string };

/** A fresh agency with one client workspace; `fin("/time")` → `/api/orgs/<org>/finance/time`. */
export async function newAgency(name = "Fin"): Promise<Agency> {
  const t = await newTenant({ name });
  const ws = await newWorkspace(t, `${name} Client`);
  return { ...t, workspaceId: ws.id, fin: (p) => `/api/orgs/${t.orgId}/finance${p}` };
}

export async function ok(method: string, path: string, token: string, body?: unknown, status = method === "POST" ? 201 : 200): Promise<Json> {
  const res = await call(method, path, { token, body });
  expectStatus(res, status);
  return res.json;
}

export const HOUR = 3_600_000;
/** 2026-03-02 09:00 UTC, a Monday. */
export const MONDAY = Date.UTC(2026, 2, 2, 9);

export async function logTime(a: Agency, startedAt: number, hours: number, extra: Record<string, unknown> = {}) {
  return ok("POST", a.fin("/time"), a.token, { workspaceId: a.workspaceId, startedAt, endedAt: startedAt + hours * HOUR, timeZone: "UTC", ...extra });
}
