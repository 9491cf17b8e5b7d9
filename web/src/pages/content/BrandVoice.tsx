import { createEffect, createResource, createSignal, For, Show } from "solid-js";
import { errorMessage } from "../../lib/api";
import { session } from "../../lib/session";
import { Button } from "../../ui/Button";
import { Alert, Loading } from "../../ui/Feedback";
import { Checkbox, TextArea, TextField } from "../../ui/Form";
import { Card, PageHeader } from "../../ui/Layout";
import { createSubmit } from "../../ui/submit";
import { toast } from "../../ui/Toast";
import { getVoice, saveVoice, type BrandVoice } from "../../lib/api/ai";
import { getApprovers, setApprovers, type ApproverRole } from "../../lib/api/content";
import { ContentTabs } from "./Tabs";
import "./content.css";

const list = (s: string) => s.split(",").map((x) => x.trim()).filter(Boolean);
const APPROVERS = [["editor", "Team editors"], ["admin", "Team admins"], ["portal_editor", "Client portal editors"], ["portal_admin", "Client portal admins"]] as const;

export default function BrandVoicePage() {
  const ws = () => session.workspace();
  const [data] = createResource(() => ws()?.id, getVoice);
  const [approvers, { mutate }] = createResource(() => ws()?.id, getApprovers);
  const [v, setV] = createSignal<BrandVoice | null>(null);
  const { busy, submit } = createSubmit();
  createEffect(() => data() && setV(structuredClone(data()!.voice)));
  const canEdit = () => session.can.editContent(ws()?.role);
  const patch = (p: Partial<BrandVoice>) => setV((x) => ({ ...x!, ...p }));
  const save = submit(async () => {
    await saveVoice(ws()!.id, v()!);
    toast.success("Brand voice saved");
  });
  const toggle = async (role: ApproverRole, on: boolean) => {
    const next = on ? [...(approvers() ?? []), role] : (approvers() ?? []).filter((r) => r !== role);
    if (next.length === 0) return toast.error("Someone must be able to approve");
    try {
      await setApprovers(ws()!.id, next);
      mutate(next);
    } catch (err) {
      toast.error(errorMessage(err));
    }
  };
  return (
    <>
      <PageHeader title="Brand voice" description="How the AI writes for this workspace, and who approves what it writes." />
      <ContentTabs />
      <Show when={v()} fallback={<Loading />}>
        <div class="grid-2">
          <Card title="Voice">
            <form class="stack" onSubmit={save}>
              <TextField label="Tone" value={v()!.tone} onValue={(tone) => patch({ tone })} disabled={!canEdit()} />
              <TextField label="Words to use" hint="Comma separated" value={v()!.wordsToUse.join(", ")} onValue={(s) => patch({ wordsToUse: list(s) })} disabled={!canEdit()} />
              <TextField label="Words to avoid" hint="Comma separated" value={v()!.wordsToAvoid.join(", ")} onValue={(s) => patch({ wordsToAvoid: list(s) })} disabled={!canEdit()} />
              <TextField label="Audience" value={v()!.audience} onValue={(audience) => patch({ audience })} disabled={!canEdit()} />
              <TextField label="Goals" value={v()!.goals} onValue={(goals) => patch({ goals })} disabled={!canEdit()} />
              <TextArea label="Posts you liked" hint="One per line" rows={4} value={v()!.examples.join("\n")} onValue={(s) => patch({ examples: s.split("\n").map((x) => x.trim()).filter(Boolean) })} disabled={!canEdit()} />
              <div class="filters">
                <TextField label="Brand colour 1" type="color" value={v()!.colors[0]} onValue={(c) => patch({ colors: [c, v()!.colors[1]] })} disabled={!canEdit()} />
                <TextField label="Brand colour 2" type="color" value={v()!.colors[1]} onValue={(c) => patch({ colors: [v()!.colors[0], c] })} disabled={!canEdit()} />
                <TextField label="Time zone" value={v()!.timeZone ?? "UTC"} onValue={(timeZone) => patch({ timeZone })} disabled={!canEdit()} />
              </div>
              <Show when={canEdit()}>
                <Button type="submit" variant="primary" loading={busy()}>Save brand voice</Button>
              </Show>
            </form>
          </Card>
          <Card title="Who approves content">
            <Show when={session.can.adminWorkspace(ws()?.role)} fallback={<Alert tone="info">Approvers: {(approvers() ?? []).join(", ").replace(/_/g, " ")}. Workspace admins change this.</Alert>}>
              <For each={APPROVERS}>{([role, label]) => <Checkbox label={label} checked={(approvers() ?? []).includes(role)} onChange={(on) => toggle(role, on)} />}</For>
            </Show>
          </Card>
        </div>
      </Show>
    </>
  );
}
