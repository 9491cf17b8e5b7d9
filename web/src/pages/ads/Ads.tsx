import { createEffect, createMemo, createResource, createSignal, For, on, onCleanup, Show } from "solid-js";
import { errorMessage } from "../../lib/api";
import { listCampaigns, listOrgCampaigns, proposeBudget, proposePause, proposeResume, type Campaign, type OrgCampaign } from "../../lib/api/ads";
import { session } from "../../lib/session";
import { Button, LinkButton } from "../../ui/Button";
import { Alert, Badge, EmptyState, Loading } from "../../ui/Feedback";
import { SelectField, TextField } from "../../ui/Form";
import { Card, PageHeader } from "../../ui/Layout";
import { Modal } from "../../ui/Modal";
import { Table, type Column } from "../../ui/Table";
import { createSubmit } from "../../ui/submit";
import { toast } from "../../ui/Toast";
import { formatMoney, parseMoney, toDecimal } from "../finance/money";
import "./ads.css";

type Row = Campaign & { workspaceId?: string; workspaceName?: string };

const running = (c: Row) => c.status === "ACTIVE" || c.status === "ENABLED";

/** "2026-11" → "November" (with the year when it is not this year's). */
export function monthName(ym: string) {
  const [y, m] = ym.split("-").map(Number);
  const d = new Date(Date.UTC(y!, m! - 1, 1));
  return d.toLocaleDateString(undefined, { month: "long", ...(y !== new Date().getUTCFullYear() ? { year: "numeric" } : {}), timeZone: "UTC" });
}
const isThisMonth = (ym: string) => ym === new Date().toISOString().slice(0, 7);

/** Spend so far against the budget for the days elapsed: a bar to 100 % with the projection beside it. */
function Pacing(props: { c: Row }) {
  const p = () => props.c.pacing;
  const pct = () => Math.round((p()?.ratio ?? 0) * 100);
  const tone = () => (pct() > 110 ? "over" : pct() < 80 ? "under" : "on");
  return (
    <div class="pacing">
      <strong>{formatMoney(props.c.spendMonthMinor, props.c.currency)}</strong>
      <Show when={p()} fallback={<span class="pacing-label">{props.c.lifetimeBudgetMinor ? "Lifetime budget: no monthly pacing" : "Budgets on its ad sets"}</span>}>
        <div class={`pacing-bar pacing-${tone()}`} role="meter" aria-valuemin={0} aria-valuemax={150} aria-valuenow={Math.min(150, pct())} aria-label={`Pacing ${pct()} % of budget for ${props.c.daysElapsed} days`}>
          <span style={{ width: `${Math.min(100, (pct() / 150) * 100)}%` }} />
          <i style={{ left: `${(100 / 150) * 100}%` }} />
        </div>
        <span class="pacing-label">{pct()} % of budget · {isThisMonth(props.c.month) ? `projected ${formatMoney(p()!.projectedMinor, props.c.currency)}` : `${props.c.daysElapsed} days`} of {formatMoney(p()!.monthBudgetMinor, props.c.currency)}</span>
      </Show>
    </div>
  );
}

function BudgetDialog(props: { campaign: Row | null; onClose: () => void; onDone: () => void }) {
  const c = () => props.campaign;
  const [level, setLevel] = createSignal("campaign");
  const [amount, setAmount] = createSignal("");
  const { busy, error, setError, fail, submit: onSubmit } = createSubmit({ show: "inline" });
  // Each campaign opens the dialog fresh (an ad set picked for another campaign is not this one's).
  createEffect(on(c, () => { setLevel("campaign"); setAmount(""); setError(); }));
  const target = () => (level() === "campaign" ? { daily: c()?.dailyBudgetMinor ?? null, lifetime: c()?.lifetimeBudgetMinor ?? null } : (() => { const s = c()?.adSets.find((x) => x.providerId === level()); return { daily: s?.dailyBudgetMinor ?? null, lifetime: s?.lifetimeBudgetMinor ?? null }; })());
  const current = () => target().daily ?? target().lifetime;
  const submit = onSubmit(async () => {
    const cc = c()!;
    const minor = parseMoney(amount(), cc.currency);
    if (!minor) return fail(`Enter an amount in ${cc.currency}`);
    const body = { ...(target().daily !== null ? { dailyBudgetMinor: minor } : { lifetimeBudgetMinor: minor }), ...(level() !== "campaign" ? { adSetId: level() } : {}) };
    const r = await proposeBudget(cc.workspaceId ?? session.workspace()!.id, cc, body);
    toast.success(r.action.state === "proposed" ? "Budget change sent for approval" : "Budget change approved by autopilot");
    if (r.warning) toast.info(r.warning);
    props.onDone();
  });
  const levels = () => [{ value: "campaign", label: "Campaign budget" }, ...(c()?.adSets ?? []).filter((s) => s.dailyBudgetMinor || s.lifetimeBudgetMinor).map((s) => ({ value: s.providerId, label: `Ad set: ${s.name}` }))];
  return (
    <Modal open={!!c()} title={`Budget of ${c()?.name ?? ""}`} description="The change is an action: it runs once approved (or by autopilot inside its guardrails)." onClose={props.onClose} size="sm"
      footer={<><Button variant="ghost" onClick={props.onClose}>Cancel</Button><Button variant="primary" type="submit" form="budget-form" loading={busy()}>Propose change</Button></>}>
      <form id="budget-form" onSubmit={submit} class="stack">
        <Show when={c()?.sharedBudget}>
          <Alert tone="warning" title="Shared budget">This Google Ads budget is shared by {c()!.sharedWith} campaigns: changing it changes all of them.</Alert>
        </Show>
        <Show when={levels().length > 1}>
          <SelectField label="What to change" value={level()} options={levels()} onValue={(v: string) => { setLevel(v); setAmount(""); }} />
        </Show>
        <p class="muted">Now: {current() !== null ? `${formatMoney(current()!, c()!.currency)} ${target().daily !== null ? "a day" : "lifetime"}` : "no budget at this level"}</p>
        <TextField label={`New ${target().daily !== null ? "daily" : "lifetime"} budget (${c()?.currency ?? ""})`} value={amount()} placeholder={current() !== null ? toDecimal(current()!, c()!.currency) : ""} inputmode="decimal" onValue={(v: string) => { setAmount(v); setError(); }} error={error()} autofocus />
      </form>
    </Modal>
  );
}

export default function Ads() {
  const ws = () => session.workspace();
  const agency = () => session.isOrgMember() && session.org()?.kind === "agency";
  const [scope, setScope] = createSignal<"workspace" | "org">("workspace");
  const [data, { refetch }] = createResource(
    () => (scope() === "org" ? { org: session.org()?.id } : { ws: ws()?.id }),
    async (k): Promise<Row[]> => ("org" in k ? k.org ? (await listOrgCampaigns(k.org)).campaigns as OrgCampaign[] : [] : k.ws ? (await listCampaigns(k.ws)).campaigns : []),
  );
  const [budgetFor, setBudgetFor] = createSignal<Row | null>(null);
  const canEdit = () => scope() === "org" ? session.isOrgMember() : session.can.editContent(ws()?.role);
  const toggling = createSubmit();
  const keyOf = (c: Row) => `${c.integrationId}:${c.providerId}`;
  // One campaign at a time: the others' buttons wait.
  const toggle = (c: Row) => {
    if (toggling.busy()) return;
    void toggling.run(async () => {
      const wsId = c.workspaceId ?? ws()!.id;
      const r = running(c) ? await proposePause(wsId, c) : await proposeResume(wsId, c);
      toast.success(r.action.state === "proposed" ? `${running(c) ? "Pause" : "Resume"} sent for approval` : "Approved by autopilot");
      void refetch();
    }, keyOf(c));
  };
  const month = () => data()?.[0]?.month ?? new Date().toISOString().slice(0, 7);
  const spendHeader = () => (isThisMonth(month()) ? "Spend & pacing this month" : `Spend & pacing, ${monthName(month())}`);
  // An approved change runs within seconds: refresh until every approved or running one has finished.
  createEffect(() => {
    const waiting = (data() ?? []).some((c) => c.pending.some((p) => p.state !== "proposed"));
    if (!waiting) return;
    const t = setTimeout(() => void refetch(), 2000);
    onCleanup(() => clearTimeout(t));
  });
  const totals = createMemo(() => {
    const by = new Map<string, number>();
    for (const c of data() ?? []) by.set(c.currency, (by.get(c.currency) ?? 0) + c.spendMonthMinor);
    return [...by].map(([cur, v]) => formatMoney(v, cur)).join(" · ");
  });
  const columns = (): Column<Row>[] => [
    { header: "Campaign", cell: (c) => <div class="campaign-name"><strong>{c.name}</strong><span class="muted">{c.channel === "meta" ? "Meta" : "Google Ads"}{c.workspaceName ? ` · ${c.workspaceName}` : ""}</span></div> },
    { header: "Status", cell: (c) => <div class="stack-xs"><Badge tone={running(c) ? "success" : "neutral"} dot>{running(c) ? "Running" : c.status === "PAUSED" ? "Paused" : c.status}</Badge><For each={c.pending}>{(p) => <a href="/approvals" class="pending-link" title={p.summary}><Badge tone="warning">{p.state === "proposed" ? "Waiting for approval" : p.state === "running" ? "Running now" : p.state === "scheduled" ? "Scheduled" : "Approved, runs shortly"}</Badge></a>}</For></div> },
    { header: "Budget", cell: (c) => <span>{c.dailyBudgetMinor ? `${formatMoney(c.dailyBudgetMinor, c.currency)}/day` : c.lifetimeBudgetMinor ? `${formatMoney(c.lifetimeBudgetMinor, c.currency)} lifetime` : "Ad-set budgets"}{c.sharedBudget ? <Badge tone="info">Shared ×{c.sharedWith}</Badge> : null}</span> },
    { header: spendHeader(), cell: (c) => <Pacing c={c} />, class: "col-pacing" },
    { header: "ROAS · CPA (30 d)", cell: (c) => <span class="metric-pair">{c.roas30d !== null ? `${c.roas30d.toFixed(2)}×` : "—"}<span class="muted">{c.cpa30dMinor !== null ? `${formatMoney(c.cpa30dMinor, c.currency)} CPA` : "no conversions"}</span></span> },
    {
      header: "Actions", actions: true,
      cell: (c) => (
        <Show when={canEdit()}>
          <div class="row-actions">
            <Button size="sm" onClick={() => toggle(c)} loading={toggling.busy(keyOf(c))} disabled={c.pending.length > 0 || (toggling.busy() && !toggling.busy(keyOf(c)))} aria-label={`${running(c) ? "Pause" : "Resume"} ${c.name}`}>{running(c) ? "Pause" : "Resume"}</Button>
            <Button size="sm" variant="ghost" onClick={() => setBudgetFor(c)} disabled={c.pending.length > 0} aria-label={`Change budget of ${c.name}`}>Budget</Button>
          </div>
        </Show>
      ),
    },
  ];
  return (
    <>
      <PageHeader
        title="Ads"
        description={scope() === "org" ? "Every client's campaigns in one place." : `Campaigns of ${ws()?.name ?? "this workspace"} across Meta and Google Ads.`}
        actions={<div class="row-actions">
          <Show when={agency()}>
            <Button variant={scope() === "org" ? "primary" : "secondary"} onClick={() => setScope(scope() === "org" ? "workspace" : "org")}>{scope() === "org" ? "This client only" : "All clients"}</Button>
          </Show>
          <LinkButton href="/approvals" icon="check">Approvals</LinkButton>
        </div>}
      />
      <Show when={!data.loading || data()} fallback={<Loading label="Loading campaigns" />}>
        <Show when={data.error}>
          <Alert tone="danger">{errorMessage(data.error)}</Alert>
        </Show>
        <Card title="Campaigns" description={totals() ? `${isThisMonth(month()) ? "Spend this month" : `Spend in ${monthName(month())}`}: ${totals()}` : undefined} flush>
          <div class="ads-table"><Table caption="Ad campaigns" columns={columns()} rows={data() ?? []} rowKey={(c) => `${c.integrationId}:${c.providerId}`}
            empty={<EmptyState icon="ads" title="No ad campaigns yet" action={<LinkButton href="/integrations" variant="primary">Connect Meta or Google Ads</LinkButton>}>Connect an ad account: its campaigns, budgets and spend appear here after the first sync.</EmptyState>} /></div>
        </Card>
      </Show>
      <BudgetDialog campaign={budgetFor()} onClose={() => setBudgetFor(null)} onDone={() => { setBudgetFor(null); void refetch(); }} />
    </>
  );
}
