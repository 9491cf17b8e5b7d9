// Mailchimp regular campaigns, written: POST /campaigns (list + settings), PUT …/content,
// actions/test, actions/schedule (quarter-hour times only), actions/send, actions/unschedule.
// Errors keep Mailchimp's problem `detail` (and the first field error) so the user reads the reason.
import { ProviderError, providerUrl } from "../http";
import type { Account, ConnectorRuntime, Secrets } from "../types";
import { apiBase } from "./api";

export type MailchimpDraft = { name: string; subject: string; preheader: string; fromName: string; replyTo: string; html: string; text: string; listId: string };

type Problem = { detail?: string; title?: string; errors?: { field?: string; message?: string }[] };

async function call<T>(rt: ConnectorRuntime, secrets: Secrets, account: Account, method: string, path: string, payload?: unknown): Promise<T | null> {
  if (!secrets.accessToken) throw new ProviderError("unauthorized", "mailchimp: no access token stored", { provider: "mailchimp" });
  const url = providerUrl(rt, "mailchimp", `${apiBase(account)}${path}`);
  const headers: Record<string, string> = { authorization: `Bearer ${secrets.accessToken}`, accept: "application/json" };
  if (payload !== undefined) headers["content-type"] = "application/json";
  let res: Response;
  try {
    res = await rt.fetch(url, { method, headers, body: payload === undefined ? undefined : JSON.stringify(payload), signal: AbortSignal.timeout(rt.timeoutMs), redirect: "manual" });
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
    throw new ProviderError("transient", `mailchimp ${method} ${path.split("?")[0]}: ${timedOut ? "timed out" : "network error"}`, { provider: "mailchimp" });
  }
  const text = await res.text();
  if (res.ok) return text ? (JSON.parse(text) as T) : null;
  let detail = "";
  try {
    const p = JSON.parse(text) as Problem;
    const field = p.errors?.[0];
    detail = [p.detail, field?.message ? `${field.field ? `${field.field}: ` : ""}${field.message}` : ""].filter(Boolean).join(" ");
  } catch {}
  const what = `mailchimp ${method} ${path.split("?")[0]}`;
  const opts = { status: res.status, provider: "mailchimp" as const };
  // Mailchimp's 429 (more than 10 simultaneous connections) carries no Retry-After.
  if (res.status === 429) throw new ProviderError("rate-limited", `${what}: too many simultaneous connections`, opts);
  if (res.status === 401 || res.status === 403) throw new ProviderError("unauthorized", `${what}: the access token was refused`, opts);
  if (res.status >= 500) throw new ProviderError("transient", `${what}: ${res.status}`, opts);
  throw new ProviderError("permanent", detail || `${what}: ${res.status}`, opts);
}

const settings = (d: MailchimpDraft) => ({ subject_line: d.subject, preview_text: d.preheader, title: d.name, from_name: d.fromName, reply_to: d.replyTo });
const enc = encodeURIComponent;

export async function createMailchimpCampaign(rt: ConnectorRuntime, secrets: Secrets, account: Account, d: MailchimpDraft): Promise<string> {
  const body = await call<{ id?: string }>(rt, secrets, account, "POST", "/campaigns", { type: "regular", recipients: { list_id: d.listId }, settings: settings(d) });
  if (!body?.id) throw new ProviderError("transient", "mailchimp POST /campaigns: no campaign id in the answer", { provider: "mailchimp" });
  return body.id;
}

/** The campaign a lost answer created: a draft whose title carries our reference. */
export async function findMailchimpCampaign(rt: ConnectorRuntime, secrets: Secrets, account: Account, ref: string, since: number): Promise<string | null> {
  const q = new URLSearchParams({ status: "save", count: "1000", since_create_time: new Date(since - 10 * 60_000).toISOString(), fields: "campaigns.id,campaigns.settings.title,total_items" });
  const body = await call<{ campaigns?: { id: string; settings?: { title?: string } }[] }>(rt, secrets, account, "GET", `/campaigns?${q}`);
  return body?.campaigns?.find((c) => c.settings?.title?.includes(ref))?.id ?? null;
}

export async function setMailchimpContent(rt: ConnectorRuntime, secrets: Secrets, account: Account, id: string, d: MailchimpDraft) {
  await call(rt, secrets, account, "PATCH", `/campaigns/${enc(id)}`, { recipients: { list_id: d.listId }, settings: settings(d) });
  await call(rt, secrets, account, "PUT", `/campaigns/${enc(id)}/content`, { html: d.html, plain_text: d.text });
}

export const sendMailchimpTest = (rt: ConnectorRuntime, secrets: Secrets, account: Account, id: string, emails: string[]) =>
  call(rt, secrets, account, "POST", `/campaigns/${enc(id)}/actions/test`, { test_emails: emails, send_type: "html" });

export const scheduleMailchimpCampaign = (rt: ConnectorRuntime, secrets: Secrets, account: Account, id: string, at: number) =>
  call(rt, secrets, account, "POST", `/campaigns/${enc(id)}/actions/schedule`, { schedule_time: new Date(at).toISOString().replace(/\.\d{3}Z$/, "+00:00") });

export const sendMailchimpCampaign = (rt: ConnectorRuntime, secrets: Secrets, account: Account, id: string) => call(rt, secrets, account, "POST", `/campaigns/${enc(id)}/actions/send`);

export const unscheduleMailchimpCampaign = (rt: ConnectorRuntime, secrets: Secrets, account: Account, id: string) => call(rt, secrets, account, "POST", `/campaigns/${enc(id)}/actions/unschedule`);

export async function mailchimpCampaignStatus(rt: ConnectorRuntime, secrets: Secrets, account: Account, id: string): Promise<string | null> {
  return (await call<{ status?: string }>(rt, secrets, account, "GET", `/campaigns/${enc(id)}?fields=status`))?.status ?? null;
}

export async function mailchimpLists(rt: ConnectorRuntime, secrets: Secrets, account: Account): Promise<{ id: string; name: string }[]> {
  const body = await call<{ lists?: { id: string; name?: string }[] }>(rt, secrets, account, "GET", "/lists?count=1000&fields=lists.id,lists.name");
  return (body?.lists ?? []).map((l) => ({ id: l.id, name: l.name ?? l.id }));
}
