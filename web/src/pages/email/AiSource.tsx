import { createMemo, createResource, createSignal, Show } from "solid-js";
import { errorMessage } from "../../lib/api";
import { startJob } from "../../lib/api/ai";
import { draftFromContent, type ContentDraft } from "../../lib/api/campaigns";
import { listContent } from "../../lib/api/content";
import { formatDateTime } from "../../lib/format";
import { Button } from "../../ui/Button";
import { Alert } from "../../ui/Feedback";
import { SelectField, TextField } from "../../ui/Form";
import { createSubmit } from "../../ui/submit";
import { toast } from "../../ui/Toast";
import { JobProgress } from "../content/JobProgress";
import { STATUS_LABELS } from "../content/format";
import { useJob } from "../content/useJob";

const ACTIVE = ["queued", "running", "retrying"];

/**
 * Starts the campaign from AI content: pick one of the workspace's AI emails, or write a new one
 * from a brief (an email_campaign job, with its progress). Either fills subject, preheader and body.
 */
export function AiSource(props: { workspaceId: string; selected?: string; onFill: (d: ContentDraft) => void }) {
  const [items, { refetch }] = createResource(() => props.workspaceId, (id) => listContent(id, { kind: "email_campaign" }));
  const usable = createMemo(() => (items() ?? []).filter((i) => i.status !== "archived" && i.status !== "rejected"));
  const [pick, setPick] = createSignal(props.selected ?? "");
  const [brief, setBrief] = createSignal("");
  const { busy, fail, run } = createSubmit();

  const fill = async (contentId: string) => {
    const d = await draftFromContent(props.workspaceId, contentId);
    setPick(d.contentId);
    props.onFill(d);
    toast.success(`Filled from “${d.title}”`);
  };
  const { job, follow } = useJob(async (j) => {
    if (j.status !== "succeeded") return;
    try {
      const made = await listContent(j.workspaceId, { job: j.id });
      await refetch();
      const first = made.find((m) => m.kind === "email_campaign");
      if (!first) return toast.error("The AI job finished without an email");
      await fill(first.id);
    } catch (e) {
      toast.error(errorMessage(e));
    }
  });
  const writing = () => busy("write") || (!!job() && ACTIVE.includes(job()!.status));

  const use = () => {
    if (!pick()) return fail("Pick an AI email first");
    return run(() => fill(pick()), "use");
  };
  const write = () => {
    if (brief().trim().length < 3) return fail("Describe the email in a few words first");
    return run(async () => follow((await startJob(props.workspaceId, "email_campaign", { brief: brief().trim(), variants: 1 })).jobId), "write");
  };

  const options = () => [
    { value: "", label: usable().length ? "Pick an AI email" : "No AI emails yet" },
    ...usable().map((i) => ({ value: i.id, label: `${i.title} · ${STATUS_LABELS[i.status]} · ${formatDateTime(i.createdAt)}` })),
  ];
  return (
    <div class="stack email-ai" role="group" aria-label="Start from AI">
      <Show when={items.error}><Alert tone="warning">The AI emails could not be loaded: {errorMessage(items.error)}</Alert></Show>
      <div class="email-actions">
        <SelectField label="AI email" options={options()} value={pick()} onValue={setPick} disabled={!usable().length} hint="Emails written in the content studio for this workspace" />
        <Button onClick={use} loading={busy("use")} disabled={!pick()}>Use this email</Button>
      </div>
      <div class="email-actions">
        <TextField label="Brief for a new AI email" value={brief()} onValue={setBrief} maxLength={2000} placeholder="e.g. Announce our winter roast, 10 % off this week" />
        <Button icon="sparkles" onClick={write} loading={writing()} disabled={writing()}>Write with AI</Button>
      </div>
      <Show when={job()}>{(j) => <JobProgress job={j()} />}</Show>
    </div>
  );
}
