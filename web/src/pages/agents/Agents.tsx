import { A } from "@solidjs/router";
import { createResource, createSignal, For, onCleanup, Show } from "solid-js";
import { errorMessage } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { session } from "../../lib/session";
import { Button } from "../../ui/Button";
import { Badge, EmptyState } from "../../ui/Feedback";
import { TextArea } from "../../ui/Form";
import { Card, PageHeader } from "../../ui/Layout";
import { createSubmit } from "../../ui/submit";
import { toast } from "../../ui/Toast";
import { addSchedule, listJobs, listSchedules, removeSchedule, startJob, type Agent, type Job, type Kind, type Schedule } from "../../lib/api/ai";
import { SelectField } from "../../ui/Form";
import "../content/content.css";

const AGENTS: { id: Agent; name: string; kind: Kind; blurb: string; brief: string; variants: number }[] = [
  { id: "content_strategist", name: "Content Strategist", kind: "strategy", blurb: "A month's plan from your goals and results, with draft posts and tasks.", brief: "Plan next month", variants: 1 },
  { id: "copywriter", name: "Copywriter", kind: "social_post", blurb: "Three distinct variants for one brief.", brief: "Announce this week's special", variants: 3 },
  { id: "performance_analyst", name: "Performance Analyst", kind: "insight", blurb: "An insight report from your synced figures, citing every number.", brief: "How did last month go?", variants: 1 },
];
const NAME = Object.fromEntries(AGENTS.map((a) => [a.id, a.name]));

export default function Agents() {
  const ws = () => session.workspace();
  const [runs, { refetch }] = createResource(() => ws()?.id, (id) => listJobs(id, true));
  const [briefs, setBriefs] = createSignal<Record<string, string>>({});
  const [schedules, { refetch: refetchSchedules }] = createResource(() => ws()?.id, listSchedules);
  const cadenceOf = (agent: string) => schedules()?.find((s) => s.agent === agent)?.cadence ?? "off";
  const schedule = async (a: (typeof AGENTS)[number], cadence: Schedule["cadence"] | "off") => {
    try {
      for (const s of (schedules() ?? []).filter((x) => x.agent === a.id)) await removeSchedule(ws()!.id, s.id);
      if (cadence !== "off") await addSchedule(ws()!.id, { agent: a.id, cadence, brief: briefs()[a.id]?.trim() || a.brief });
      toast.success(cadence === "off" ? `${a.name} runs only when started` : `${a.name} runs ${cadence}`);
      await refetchSchedules();
    } catch (e) {
      toast.error(errorMessage(e));
    }
  };
  const { busy, run } = createSubmit();
  const timer = setInterval(() => {
    if ((runs() ?? []).some((r) => ["queued", "running", "retrying"].includes(r.status))) void refetch();
  }, 1000);
  onCleanup(() => clearInterval(timer));
  const start = (a: (typeof AGENTS)[number]) =>
    run(async () => {
      await startJob(ws()!.id, a.kind, { brief: briefs()[a.id]?.trim() || a.brief, ...(a.variants > 1 ? { variants: a.variants } : {}) }, a.id);
      toast.success(`${a.name} started`);
      await refetch();
    }, a.id);
  return (
    <>
      <PageHeader title="Agents" description="Named AI agents that run as jobs, with every step, output and cost recorded." />
      <div class="grid-3" style={{ "margin-top": 0 }}>
        <For each={AGENTS}>
          {(a) => (
            <Card title={a.name} description={a.blurb}>
              <Show when={session.can.editContent(ws()?.role)} fallback={<p class="muted">Editors start runs.</p>}>
                <div class="stack">
                  <TextArea label="Brief" optional rows={2} placeholder={a.brief} value={briefs()[a.id] ?? ""} onValue={(v) => setBriefs((b) => ({ ...b, [a.id]: v }))} />
                  <Button variant="primary" icon="sparkles" loading={busy(a.id)} onClick={() => start(a)}>Run {a.name}</Button>
                  <SelectField label="Runs by itself" value={cadenceOf(a.id)} onValue={(v) => schedule(a, v as Schedule["cadence"] | "off")} options={[{ value: "off", label: "Never" }, { value: "weekly", label: "Every week" }, { value: "monthly", label: "Every month" }]} />
                </div>
              </Show>
            </Card>
          )}
        </For>
      </div>
      <h2 style={{ margin: "28px 0 12px" }}>Runs</h2>
      <Show when={(runs() ?? []).length > 0} fallback={<EmptyState icon="sparkles" title="No runs yet">Start an agent above.</EmptyState>}>
        <div class="stack">
          <For each={runs()}>{(r) => <RunCard run={r} />}</For>
        </div>
      </Show>
    </>
  );
}

function RunCard(props: { run: Job }) {
  const tone = () => (props.run.status === "succeeded" ? "success" : props.run.status === "failed" ? "danger" : "info");
  return (
    <Card title={`${NAME[props.run.agent ?? ""] ?? props.run.agent} · ${formatDateTime(props.run.createdAt)}`} actions={<Badge tone={tone()}>{props.run.status}</Badge>}>
      <ol class="trail" aria-label="Steps">
        <For each={props.run.steps} fallback={<li class="muted">{props.run.stage ?? "Waiting to start"}</li>}>
          {(s) => <li>{s.status === "failed" ? "✗" : "✓"} <strong>{s.name}</strong>{s.detail ? ` — ${s.detail}` : ""}</li>}
        </For>
      </ol>
      <Show when={props.run.error && props.run.status === "failed"}><p class="muted">{props.run.error}</p></Show>
      <Show when={props.run.contentIds.length > 0}>
        <p>Outputs: <For each={props.run.contentIds}>{(id, i) => <><A href={`/content/${id}`}>output {i() + 1}</A>{" "}</>}</For></p>
      </Show>
      <small class="muted">Trigger: {props.run.trigger} · usage and cost on the <A href="/ai/usage">AI usage</A> page</small>
    </Card>
  );
}
