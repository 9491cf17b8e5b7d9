import { A } from "@solidjs/router";
import { createSignal, Show } from "solid-js";
import { session } from "../../lib/session";
import { Button } from "../../ui/Button";
import { Badge } from "../../ui/Feedback";
import { createSubmit } from "../../ui/submit";
import { toast } from "../../ui/Toast";
import { decide, sendForApproval, type ContentItem, type Status } from "../../lib/api/content";
import { plainText, STATUS_LABELS } from "./format";
import { ContentBody } from "./ContentBody";

export const statusTone = (s: Status) => (s === "approved" ? "success" : s === "rejected" ? "danger" : s === "in_review" ? "info" : "neutral");

/** One variant with its actions: copy, edit, approve, send for approval. */
export function VariantCard(props: { item: ContentItem; label: string; onChange?: () => void }) {
  const [status, setStatus] = createSignal<Status>(props.item.status);
  const { busy, run } = createSubmit();
  const canEdit = () => session.can.editContent(session.workspace()?.role);
  const act = (name: string, fn: () => Promise<unknown>, done: string) =>
    run(async () => {
      await fn();
      toast.success(done);
      props.onChange?.();
    }, name);
  const copy = async () => {
    await navigator.clipboard.writeText(plainText(props.item)).then(() => toast.success("Copied to the clipboard"), () => toast.error("The browser did not allow copying"));
  };
  return (
    <article class="card variant" aria-label={props.label}>
      <div class="card-header">
        <div>
          <h3 class="card-title">{props.label}</h3>
          <p class="card-description">{props.item.provider} · {props.item.model}</p>
        </div>
        <Badge tone={statusTone(status())}>{STATUS_LABELS[status()]}</Badge>
      </div>
      <div class="card-body">
        <ContentBody item={props.item} />
      </div>
      <div class="variant-actions">
        <Button size="sm" icon="check" onClick={copy}>Copy</Button>
        <A class="btn btn-secondary btn-sm" href={`/content/${props.item.id}`}>Open and edit</A>
        <Show when={canEdit() && status() !== "in_review" && status() !== "approved"}>
          <Button size="sm" icon="send" loading={busy("send")} onClick={() => act("send", async () => { await sendForApproval(props.item.id); setStatus("in_review"); }, "Sent for approval")}>
            Send for approval
          </Button>
        </Show>
        <Show when={canEdit() && status() !== "approved"}>
          <Button size="sm" variant="primary" loading={busy("approve")} onClick={() => act("approve", async () => setStatus((await decide(props.item.id, "approve")).status), "Approved")}>
            Approve
          </Button>
        </Show>
      </div>
    </article>
  );
}
