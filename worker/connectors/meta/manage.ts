// Marketing API writes: a campaign's or ad set's status (ACTIVE / PAUSED) and budget. Graph takes
// them as form fields on POST /{object-id} and answers {"success": true}; budgets are in the ad
// account currency's minor unit, as strings. Errors are the same Graph error bodies as reads.
import { ProviderError, providerUrl } from "../http";
import type { ConnectorRuntime, Secrets } from "../types";
import { GRAPH_BASE, graphError } from "./graph";

export type MetaObjectUpdate = { status?: "ACTIVE" | "PAUSED"; dailyBudgetMinor?: number; lifetimeBudgetMinor?: number };

export async function updateMetaObject(rt: ConnectorRuntime, secrets: Secrets, objectId: string, update: MetaObjectUpdate): Promise<{ success: boolean }> {
  if (!secrets.accessToken) throw new ProviderError("unauthorized", "meta: no access token stored", { provider: "meta" });
  const form = new URLSearchParams();
  if (update.status) form.set("status", update.status);
  if (update.dailyBudgetMinor !== undefined) form.set("daily_budget", String(Math.round(update.dailyBudgetMinor)));
  if (update.lifetimeBudgetMinor !== undefined) form.set("lifetime_budget", String(Math.round(update.lifetimeBudgetMinor)));
  const what = `update ${objectId}`;
  let res: Response;
  try {
    res = await rt.fetch(providerUrl(rt, "meta", `${GRAPH_BASE}/${encodeURIComponent(objectId)}`), {
      method: "POST",
      headers: { authorization: `Bearer ${secrets.accessToken}`, "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: form.toString(),
      signal: AbortSignal.timeout(rt.timeoutMs),
    });
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
    throw new ProviderError("transient", `meta ${what}: ${timedOut ? "timed out" : "network error"}`, { provider: "meta" });
  }
  const text = await res.text();
  let body: any = null;
  try {
    body = JSON.parse(text);
  } catch {
    if (res.ok) throw new ProviderError("transient", `meta ${what}: malformed JSON response`, { status: res.status, provider: "meta" });
  }
  if (!res.ok || body?.error) throw graphError(res.status, body?.error, res.headers, what);
  return { success: body?.success === true };
}
