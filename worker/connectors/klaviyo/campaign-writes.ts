// Klaviyo email campaigns, written: campaign (with its message and audience) → template (CODE
// editor) → assign the template to the message → send job (immediate or static send strategy).
// Test sends go through a template preview send job (stable since revision 2026-10-15, so that one
// call sends that revision). Errors keep Klaviyo's `detail` so the user reads the reason.
import { ProviderError, providerUrl, retryAfterMs } from "../http";
import type { ConnectorRuntime, Secrets } from "../types";
import { API_BASE, KLAVIYO_REVISION, klaviyoHeaders } from "./api";

const PREVIEW_REVISION = "2026-10-15";

export type KlaviyoDraft = { name: string; subject: string; preheader: string; fromName: string; replyTo: string; html: string; text: string; listId: string };
export type KlaviyoIds = { campaignId: string; messageId: string | null };

type Errors = { errors?: { detail?: string; title?: string; source?: { pointer?: string; parameter?: string } }[] };

async function call<T>(rt: ConnectorRuntime, secrets: Secrets, method: string, path: string, payload?: unknown, revision = KLAVIYO_REVISION): Promise<T | null> {
  const url = providerUrl(rt, "klaviyo", `${API_BASE}${path}`);
  const headers: Record<string, string> = { ...klaviyoHeaders(secrets), revision };
  if (payload !== undefined) headers["content-type"] = "application/vnd.api+json";
  let res: Response;
  try {
    res = await rt.fetch(url, { method, headers, body: payload === undefined ? undefined : JSON.stringify(payload), signal: AbortSignal.timeout(rt.timeoutMs), redirect: "manual" });
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
    throw new ProviderError("transient", `klaviyo ${method} ${path.split("?")[0]}: ${timedOut ? "timed out" : "network error"}`, { provider: "klaviyo" });
  }
  const text = await res.text();
  if (res.ok) return text ? (JSON.parse(text) as T) : null;
  let detail = "";
  try {
    const e = (JSON.parse(text) as Errors).errors?.[0];
    detail = e?.detail || e?.title || "";
  } catch {}
  const what = `klaviyo ${method} ${path.split("?")[0]}`;
  const opts = { status: res.status, provider: "klaviyo" as const, retryAfterMs: retryAfterMs(res.headers.get("retry-after"), rt.now()) ?? undefined };
  if (res.status === 429) throw new ProviderError("rate-limited", `${what}: rate limited`, opts);
  if (res.status === 401 || res.status === 403) throw new ProviderError("unauthorized", `${what}: the API key was refused`, opts);
  if (res.status >= 500) throw new ProviderError("transient", `${what}: ${res.status}`, opts);
  throw new ProviderError("permanent", detail || `${what}: ${res.status}`, opts);
}

const content = (d: KlaviyoDraft) => ({ subject: d.subject, preview_text: d.preheader, from_email: d.replyTo, from_label: d.fromName, reply_to_email: d.replyTo });

type CampaignBody = { data: { id: string; attributes?: { status?: string }; relationships?: { "campaign-messages"?: { data?: { id: string }[] } } } };

export async function createKlaviyoCampaign(rt: ConnectorRuntime, secrets: Secrets, d: KlaviyoDraft): Promise<KlaviyoIds> {
  const body = await call<CampaignBody>(rt, secrets, "POST", "/campaigns", {
    data: {
      type: "campaign",
      attributes: {
        name: d.name,
        audiences: { included: [d.listId], excluded: [] },
        send_strategy: { method: "immediate" },
        send_options: { use_smart_sending: true },
        tracking_options: { add_tracking_params: false, is_tracking_clicks: true, is_tracking_opens: true },
        "campaign-messages": { data: [{ type: "campaign-message", attributes: { definition: { channel: "email", label: d.name, content: content(d) } } }] },
      },
    },
  });
  if (!body?.data?.id) throw new ProviderError("transient", "klaviyo POST /campaigns: no campaign id in the answer", { provider: "klaviyo" });
  return { campaignId: body.data.id, messageId: body.data.relationships?.["campaign-messages"]?.data?.[0]?.id ?? null };
}

/** The campaign a lost answer created, found by the reference in its internal name. */
export async function findKlaviyoCampaign(rt: ConnectorRuntime, secrets: Secrets, ref: string): Promise<KlaviyoIds | null> {
  const q = new URLSearchParams({ filter: `equals(messages.channel,'email'),contains(name,'${ref.replace(/'/g, "")}')`, "fields[campaign]": "name,status" });
  const list = await call<{ data?: { id: string }[] }>(rt, secrets, "GET", `/campaigns?${q}`);
  const id = list?.data?.[0]?.id;
  if (!id) return null;
  return { campaignId: id, messageId: await klaviyoMessageOf(rt, secrets, id) };
}

export async function klaviyoMessageOf(rt: ConnectorRuntime, secrets: Secrets, campaignId: string): Promise<string | null> {
  const msgs = await call<{ data?: { id: string }[] }>(rt, secrets, "GET", `/campaigns/${encodeURIComponent(campaignId)}/campaign-messages`);
  return msgs?.data?.[0]?.id ?? null;
}

/** A CODE template with the body, assigned to the campaign's message; returns the template id. */
export async function setKlaviyoContent(rt: ConnectorRuntime, secrets: Secrets, ids: { messageId: string }, d: KlaviyoDraft): Promise<string> {
  await call(rt, secrets, "PATCH", `/campaign-messages/${encodeURIComponent(ids.messageId)}`, {
    data: { type: "campaign-message", id: ids.messageId, attributes: { definition: { channel: "email", label: d.name, content: content(d) } } },
  });
  const tpl = await call<{ data: { id: string } }>(rt, secrets, "POST", "/templates", { data: { type: "template", attributes: { name: d.name, editor_type: "CODE", html: d.html, text: d.text } } });
  const templateId = tpl?.data?.id;
  if (!templateId) throw new ProviderError("transient", "klaviyo POST /templates: no template id in the answer", { provider: "klaviyo" });
  await call(rt, secrets, "POST", "/campaign-message-assign-template", {
    data: { type: "campaign-message", id: ids.messageId, relationships: { template: { data: { type: "template", id: templateId } } } },
  });
  return templateId;
}

export async function sendKlaviyoTest(rt: ConnectorRuntime, secrets: Secrets, templateId: string, emails: string[], d: KlaviyoDraft) {
  await call(
    rt,
    secrets,
    "POST",
    "/template-preview-send-jobs",
    { data: { type: "template-preview-send-job", attributes: { emails, subject: `[Test] ${d.subject}`, from_email: d.replyTo, from_label: d.fromName }, relationships: { template: { data: { type: "template", id: templateId } } } } },
    PREVIEW_REVISION,
  );
}

/** Sets the send strategy (a time, or now) and starts the send job. */
export async function sendKlaviyoCampaign(rt: ConnectorRuntime, secrets: Secrets, campaignId: string, at: number | null) {
  const send_strategy = at === null ? { method: "immediate" } : { method: "static", options_static: { datetime: new Date(at).toISOString().replace(/\.\d{3}Z$/, "+00:00"), is_local: false } };
  await call(rt, secrets, "PATCH", `/campaigns/${encodeURIComponent(campaignId)}`, { data: { type: "campaign", id: campaignId, attributes: { send_strategy } } });
  await call(rt, secrets, "POST", "/campaign-send-jobs", { data: { type: "campaign-send-job", id: campaignId } });
}

/** Takes a scheduled campaign back to draft ("revert"; "cancel" would end it for good). */
export async function unscheduleKlaviyoCampaign(rt: ConnectorRuntime, secrets: Secrets, campaignId: string) {
  await call(rt, secrets, "PATCH", `/campaign-send-jobs/${encodeURIComponent(campaignId)}`, { data: { type: "campaign-send-job", id: campaignId, attributes: { action: "revert" } } });
}

export async function klaviyoCampaignStatus(rt: ConnectorRuntime, secrets: Secrets, campaignId: string): Promise<string | null> {
  const body = await call<CampaignBody>(rt, secrets, "GET", `/campaigns/${encodeURIComponent(campaignId)}?fields[campaign]=status`);
  return body?.data?.attributes?.status ?? null;
}

/** Every list (id and name), for the list picker when nothing is synced yet. */
export async function klaviyoLists(rt: ConnectorRuntime, secrets: Secrets): Promise<{ id: string; name: string }[]> {
  const out: { id: string; name: string }[] = [];
  let path: string | null = "/lists?sort=id&page[size]=10&fields[list]=name";
  for (let guard = 0; path && guard < 50; guard++) {
    const body: { data?: { id: string; attributes?: { name?: string } }[]; links?: { next?: string | null } } | null = await call(rt, secrets, "GET", path);
    for (const l of body?.data ?? []) out.push({ id: l.id, name: l.attributes?.name ?? l.id });
    const next: string | null | undefined = body?.links?.next;
    path = next ? next.slice(next.indexOf("/api/") + 4) : null;
  }
  return out;
}
