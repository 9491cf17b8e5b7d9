import { createSignal, For, Show } from "solid-js";
import { errorMessage } from "../../lib/api";
import { session } from "../../lib/session";
import { Alert, EmptyState } from "../../ui/Feedback";
import { Card, PageHeader } from "../../ui/Layout";
import { toast } from "../../ui/Toast";
import { startJob } from "../../lib/api/ai";
import { listContent, type ContentItem } from "../../lib/api/content";
import { KIND_LABELS } from "./format";
import { BriefForm, type Brief } from "./BriefForm";
import { JobProgress } from "./JobProgress";
import { ContentTabs } from "./Tabs";
import { useJob } from "./useJob";
import { VariantCard } from "./VariantCard";
import "./content.css";

export default function Studio() {
  const [starting, setStarting] = createSignal(false);
  const [items, setItems] = createSignal<ContentItem[]>([]);
  const ws = () => session.workspace();
  const { job, follow } = useJob(async (j) => {
    if (j.status === "succeeded") setItems(await listContent(j.workspaceId, { job: j.id }));
  });
  const generate = async (b: Brief) => {
    const w = ws();
    if (!w) return;
    setStarting(true);
    setItems([]);
    try {
      const { jobId } = await startJob(w.id, b.kind, b.input);
      follow(jobId);
    } catch (e) {
      toast.error(errorMessage(e));
    } finally {
      setStarting(false);
    }
  };
  return (
    <>
      <PageHeader title="Content studio" description={ws() ? <>Write with AI for <strong>{ws()!.name}</strong>, in its brand voice and from its own figures.</> : "Pick a workspace first."} />
      <ContentTabs />
      <Show when={ws()} fallback={<EmptyState icon="layers" title="No workspace selected">Choose a workspace in the switcher above.</EmptyState>}>
        <Show when={session.can.editContent(ws()!.role)} fallback={<Alert tone="info">Viewers can read and comment on content in the library; editors write it here.</Alert>}>
          <div class="studio">
            <Card title="Brief">
              <BriefForm busy={starting() || (!!job() && ["queued", "running", "retrying"].includes(job()!.status))} onSubmit={generate} />
            </Card>
            <div class="stack">
              <Show when={job()} fallback={<EmptyState icon="sparkles" title="Nothing generated yet">Fill in the brief and press Generate. Variants appear here side by side.</EmptyState>}>
                <JobProgress job={job()!} />
              </Show>
              <div class="variants">
                <For each={items()}>{(item, i) => <VariantCard item={item} label={`${KIND_LABELS[item.kind]} — variant ${i() + 1}`} />}</For>
              </div>
            </div>
          </div>
        </Show>
      </Show>
    </>
  );
}
