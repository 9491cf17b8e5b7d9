import { createResource, createSignal, For, Index, Show } from "solid-js";
import { errorMessage } from "../../lib/api";
import { approveAction, getAction, kindLabel, listActions, listActionSettings, rejectAction, revertAction, saveActionSettings, type Action, type KindSettings } from "../../lib/api/actions";
import { formatDateTime } from "../../lib/format";
import { session } from "../../lib/session";
import { Button, LinkButton } from "../../ui/Button";
import { Alert, Badge, EmptyState, Loading } from "../../ui/Feedback";
import { Checkbox, TextField } from "../../ui/Form";
import { Card, PageHeader } from "../../ui/Layout";
import { createSubmit } from "../../ui/submit";
import { toast } from "../../ui/Toast";
import { formatMoney } from "../finance/money";
import "../ads/ads.css";

type Json = Record<string, unknown>;
const SHOWN = ["status", "dailyBudgetMinor", "lifetimeBudgetMinor", "text", "subject", "scheduledFor"];
const label: Record<string, string> = { status: "Status", dailyBudgetMinor: "Daily budget", lifetimeBudgetMinor: "Lifetime budget", text: "Text", subject: "Subject", scheduledFor: "When" };

const STATUS: Record<string, string> = { ACTIVE: "Running", ENABLED: "Running", PAUSED: "Paused", ARCHIVED: "Archived", REMOVED: "Removed" };
const STATE: Record<Action["state"], string> = { proposed: "Waiting for approval", approved: "Approved", rejected: "Rejected", scheduled: "Scheduled", running: "Running now", done: "Done", failed: "Failed", cancelled: "Cancelled" };
const stateLabel = (s: string) => STATE[s as Action["state"]] ?? s;

function value(k: string, v: unknown, currency: unknown) {
  if (v === null || v === undefined) return "—";
  if (k === "status" && typeof v === "string") return STATUS[v] ?? v;
  if (k === "scheduledFor" && typeof v === "number") return formatDateTime(v);
  if (k.endsWith("Minor") && typeof v === "number") return formatMoney(v, typeof currency === "string" ? currency : "USD");
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}

/** What changes: each field that differs, before → after. */
function Diff(props: { a: Action }) {
  const before = () => (props.a.before ?? {}) as Json;
  const after = () => (props.a.after ?? {}) as Json;
  const keys = () => SHOWN.filter((k) => k in after() || k in before()).filter((k) => JSON.stringify(before()[k]) !== JSON.stringify(after()[k]));
  return (
    <Show when={keys().length}>
      <dl class="diff">
        <For each={keys()}>
          {(k) => (<><dt>{label[k] ?? k}</dt><dd><del>{value(k, before()[k], before().currency)}</del> → <ins>{value(k, after()[k], after().currency)}</ins></dd></>)}
        </For>
      </dl>
    </Show>
  );
}

function Trail(props: { workspaceId: string; id: string }) {
  const [d] = createResource(() => getAction(props.workspaceId, props.id));
  return (
    <Show when={d()} fallback={<Loading label="Loading the trail" />}>
      <ol class="trail" aria-label="Audit trail">
        <For each={d()!.trail}>{(e) => <li><strong>{stateLabel(e.toStatus)}</strong> · {e.actorName ?? e.actorRole ?? "system"} · {formatDateTime(e.createdAt)}{e.note ? ` · “${e.note}”` : ""}</li>}</For>
      </ol>
      <Show when={d()!.providerResult && Object.keys(d()!.providerResult as Json).length}>
        <p class="muted">Provider answered: {Object.entries(d()!.providerResult as Json).map(([k, v]) => `${label[k] ?? k} ${value(k, v, undefined)}`).join(" · ")}</p>
      </Show>
    </Show>
  );
}

const tone = (s: Action["state"]) => (s === "done" ? "success" : s === "failed" || s === "rejected" ? "danger" : s === "proposed" ? "warning" : "info");

function ActionItem(props: { a: Action; onChange: () => void }) {
  const [open, setOpen] = createSignal(false);
  const { busy, run } = createSubmit();
  const act = <R,>(fn: () => Promise<R>, done: string | ((r: R) => string)) =>
    run(async () => {
      const r = await fn();
      toast.success(typeof done === "string" ? done : done(r));
      props.onChange();
    });
  const ws = () => props.a.workspaceId;
  return (
    <article class="approval-item" aria-label={props.a.summary}>
      <div class="approval-head">
        <strong>{props.a.summary}</strong>
        <Badge tone={tone(props.a.state)}>{stateLabel(props.a.state)}</Badge>
      </div>
      <span class="muted">{kindLabel[props.a.kind]} · proposed by {props.a.proposedByName ?? (props.a.agentRunId ? "an agent" : "someone")} · {formatDateTime(props.a.createdAt)}{props.a.approvedAs ? ` · approved by ${props.a.approvedByName ?? props.a.approvedAs}` : ""}</span>
      <Diff a={props.a} />
      <Show when={props.a.waitReason}><Alert tone="info">{props.a.waitReason!}</Alert></Show>
      <Show when={props.a.error}><Alert tone="danger">{props.a.error!}</Alert></Show>
      <div class="row-actions" style={{ "justify-content": "flex-start" }}>
        <Show when={props.a.canApprove}>
          <Button variant="primary" size="sm" loading={busy()} onClick={() => act(() => approveAction(ws(), props.a.id), "Approved")}>Approve</Button>
          <Button variant="danger-ghost" size="sm" disabled={busy()} onClick={() => act(() => rejectAction(ws(), props.a.id), "Rejected")}>Reject</Button>
        </Show>
        <Show when={props.a.revertible}>
          <Button size="sm" icon="refresh" disabled={busy()} onClick={() => act(() => revertAction(ws(), props.a.id), (r) => (r.state === "proposed" ? "Undo sent for approval" : "Undo approved by autopilot"))}>Revert</Button>
        </Show>
        <Button size="sm" variant="ghost" aria-expanded={open()} onClick={() => setOpen(!open())}>{open() ? "Hide trail" : "Trail"}</Button>
      </div>
      <Show when={open()}><Trail workspaceId={ws()} id={props.a.id} /></Show>
    </article>
  );
}

/** The guardrail limits each kind's executor reads (worker/features/<kind's feature>/executor or guard). */
type LimitField = { key: string; label: string; placeholder: string; flag?: boolean };
const LIMITS: Record<KindSettings["kind"], LimitField[]> = {
  publish_post: [{ key: "postsPerDay", label: "Max posts per channel per day", placeholder: "no limit" }],
  send_campaign: [
    { key: "sendsPerDay", label: "Max campaign sends per day", placeholder: "1" },
    { key: "maxRecipients", label: "Max list size (members)", placeholder: "no cap" },
  ],
  pause_campaign: [{ key: "maxPerDay", label: "Max per day", placeholder: "no limit" }],
  resume_campaign: [{ key: "maxPerDay", label: "Max per day", placeholder: "no limit" }],
  change_budget: [{ key: "maxChangePct", label: "Max budget change per day (%)", placeholder: "20" }],
  send_reply: [{ key: "clientRepliesNeedApproval", label: "Replies to clients always wait for a person", placeholder: "", flag: true }],
};
const NOTE: Partial<Record<KindSettings["kind"], string>> = {
  send_campaign: "Autopilot sends only to a list QWEB has sent to before; the first send to a list always waits.",
};

function KindSettingsForm(props: { s: KindSettings; onSaved: () => void }) {
  const [autopilot, setAutopilot] = createSignal(props.s.autopilot);
  const [approvers, setApprovers] = createSignal([...props.s.approvers]);
  const fields = LIMITS[props.s.kind] ?? [];
  const [limits, setLimits] = createSignal<Record<string, string>>(Object.fromEntries(fields.map((f) => [f.key, String(props.s.limits[f.key] ?? "")])));
  const roles = [["editor", "Team editors"], ["admin", "Team admins"], ["portal_editor", "Client portal editors"], ["portal_admin", "Client portal admins"]] as const;
  const { busy, fail, run } = createSubmit();
  const save = () =>
    run(async () => {
      const out: Record<string, number> = {};
      for (const f of fields) {
        const raw = (limits()[f.key] ?? "").trim();
        if (!raw) continue;
        const n = Number(raw);
        if (!(n >= 0)) return fail(`${f.label}: enter a number`);
        out[f.key] = n;
      }
      await saveActionSettings(session.workspace()!.id, props.s.kind, { autopilot: autopilot(), limits: out, approvers: approvers() as KindSettings["approvers"] });
      toast.success(`Saved: ${kindLabel[props.s.kind]}`);
      props.onSaved();
    });
  return (
    <fieldset>
      <legend>{kindLabel[props.s.kind]}</legend>
      <For each={roles}>{([r, l]) => <Checkbox label={l} checked={approvers().includes(r)} onChange={(v) => setApprovers(v ? [...approvers(), r] : approvers().filter((x) => x !== r))} />}</For>
      <Checkbox label="Autopilot inside the guardrails" checked={autopilot()} onChange={setAutopilot} />
      <For each={fields}>
        {(f) => f.flag
          ? <Checkbox label={f.label} checked={!!Number(limits()[f.key] || 0)} onChange={(v) => setLimits({ ...limits(), [f.key]: v ? "1" : "" })} />
          : <TextField label={f.label} value={limits()[f.key] ?? ""} inputmode="numeric" placeholder={f.placeholder} onValue={(v) => setLimits({ ...limits(), [f.key]: v })} />}
      </For>
      <Show when={NOTE[props.s.kind]}><span class="muted">{NOTE[props.s.kind]}</span></Show>
      <Show when={!props.s.available}><span class="muted">Not available in this workspace yet.</span></Show>
      <Button size="sm" onClick={save} loading={busy()} disabled={approvers().length === 0}>Save</Button>
    </fieldset>
  );
}

export default function Approvals() {
  const ws = () => session.workspace();
  const [view, setView] = createSignal<"me" | "all">("me");
  const [list, { refetch }] = createResource(() => ({ id: ws()?.id, v: view() }), (k) => (k.id ? listActions(k.id, k.v === "me" ? { waiting: "me" } : {}) : Promise.resolve({ actions: [] })));
  const isAdmin = () => session.can.adminWorkspace(ws()?.role);
  const [settings, s] = createResource(() => (isAdmin() ? ws()?.id : undefined), (id) => listActionSettings(id));
  return (
    <>
      <PageHeader title="Approvals" description="Everything QWEB does outside itself on your behalf waits here for the people your policy names."
        actions={<div class="row-actions"><Button variant={view() === "me" ? "primary" : "secondary"} onClick={() => setView("me")}>Waiting for me</Button><Button variant={view() === "all" ? "primary" : "secondary"} onClick={() => setView("all")}>All actions</Button></div>} />
      <Card title={view() === "me" ? "What waits for me" : "All actions"} flush>
        <Show when={list.error}>
          <div class="card-pad"><Alert tone="danger" title="The actions could not be loaded">{errorMessage(list.error)} <Button size="sm" variant="ghost" onClick={() => void refetch()}>Try again</Button></Alert></div>
        </Show>
        <Show when={!list.error && list()} fallback={<Show when={!list.error}><Loading label="Loading actions" /></Show>}>
          <Show when={list()!.actions.length} fallback={
            <EmptyState icon="check" title={view() === "me" ? "Nothing waits for you" : "No actions yet"}
              action={view() === "me" ? <Button variant="secondary" onClick={() => setView("all")}>See all actions</Button> : <LinkButton href="/ads" variant="primary">Open Ads</LinkButton>}>
              Pausing a campaign, changing a budget or publishing a post creates an action here.
            </EmptyState>}>
            <For each={list()!.actions}>{(a) => <ActionItem a={a} onChange={() => void refetch()} />}</For>
          </Show>
        </Show>
      </Card>
      <Show when={isAdmin() && settings()}>
        <Card title="Approval policy and autopilot" description="Who approves each kind of action, and what autopilot may do without a person. An action outside its guardrails always waits.">
          <div class="kind-settings">
            {/* Index, not For: a refetch after one kind's save keeps the edits under way in the others. */}
            <Index each={settings()!.settings}>{(k) => <KindSettingsForm s={k()} onSaved={() => void s.refetch()} />}</Index>
          </div>
        </Card>
      </Show>
    </>
  );
}
