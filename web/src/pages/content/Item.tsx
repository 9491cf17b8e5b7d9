import { useNavigate, useParams } from "@solidjs/router";
import { createResource, createSignal, For, Show } from "solid-js";
import { errorMessage } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { Button } from "../../ui/Button";
import { Alert, Badge, Loading } from "../../ui/Feedback";
import { TextArea } from "../../ui/Form";
import { Card, PageHeader } from "../../ui/Layout";
import { confirmDialog } from "../../ui/Modal";
import { createSubmit } from "../../ui/submit";
import { toast } from "../../ui/Toast";
import { comment, decide, deleteContent, getContent, sendForApproval, setStatus } from "../../lib/api/content";
import { KIND_LABELS, plainText, STATUS_LABELS } from "./format";
import { ContentBody } from "./ContentBody";
import { ContentEditor } from "./Editor";
import { statusTone } from "./VariantCard";
import "./content.css";

const ACTIONS: Record<string, string> = { requested: "Sent for approval", approved: "Approved", rejected: "Rejected", status: "Status changed", edited: "Edited" };

export default function Item() {
  const params = useParams();
  const navigate = useNavigate();
  const [detail, { refetch }] = createResource(() => params.contentId, getContent);
  const [editing, setEditing] = createSignal(false);
  const [note, setNote] = createSignal("");
  const { busy, run: start } = createSubmit();
  const run = (name: string, fn: () => Promise<unknown>, done: string) =>
    start(async () => {
      await fn();
      toast.success(done);
      await refetch();
    }, name);
  return (
    <Show when={detail()} fallback={<Show when={detail.error} fallback={<Loading />}><Alert tone="danger">{errorMessage(detail.error)}</Alert></Show>}>
      {(d) => {
        const c = () => d().content;
        const status = () => c().status;
        return (
          <>
            <PageHeader
              title={c().title}
              eyebrow={<Badge tone={statusTone(status())}>{STATUS_LABELS[status()]}</Badge>}
              description={<>{KIND_LABELS[c().kind]} · {c().provider} {c().model} · version {c().version} · {formatDateTime(c().createdAt)}</>}
              actions={
                <>
                  <Button size="sm" onClick={() => navigator.clipboard.writeText(plainText(c())).then(() => toast.success("Copied to the clipboard"))}>Copy</Button>
                  <Button size="sm" icon="edit" onClick={() => setEditing(!editing())}>{editing() ? "Close editor" : "Edit"}</Button>
                </>
              }
            />
            <div class="grid-2">
              <div class="stack">
                <Card title="Content">
                  <Show when={editing()} fallback={<ContentBody item={c()} />}>
                    <ContentEditor item={c()} onSaved={async () => { setEditing(false); await refetch(); }} />
                  </Show>
                </Card>
                <Card title="Prompt and context" description="Exactly what the AI was given to write this (business figures only, never credentials).">
                  <details><summary>Prompt</summary><pre class="prompt-box">{c().prompt}</pre></details>
                  <details><summary>Context</summary><pre class="prompt-box">{JSON.stringify(c().context, null, 2)}</pre></details>
                </Card>
              </div>
              <div class="stack">
                <Card title="Review" description={<>Approvers here: {d().approvers.map((a) => a.replace("_", " ")).join(", ")}.</>}>
                  <div class="stack">
                    <TextArea label="Note" optional rows={2} value={note()} onValue={setNote} />
                    <div class="variant-actions" style={{ padding: 0, border: 0 }}>
                      <Show when={status() === "draft" || status() === "rejected"}>
                        <Button icon="send" loading={busy("send")} onClick={() => run("send", () => sendForApproval(c().id, note() || undefined), "Sent for approval")}>Send for approval</Button>
                      </Show>
                      <Show when={d().canApprove && (status() === "in_review" || status() === "draft")}>
                        <Button variant="primary" icon="check" loading={busy("approve")} onClick={() => run("approve", () => decide(c().id, "approve", note() || undefined), "Approved")}>Approve</Button>
                        <Button variant="danger-ghost" loading={busy("reject")} onClick={() => run("reject", () => decide(c().id, "reject", note() || undefined), "Rejected")}>Reject</Button>
                      </Show>
                      <Show when={status() !== "archived"} fallback={<Button onClick={() => run("draft", () => setStatus(c().id, "draft"), "Restored to draft")}>Restore</Button>}>
                        <Button variant="ghost" onClick={() => run("archive", () => setStatus(c().id, "archived"), "Archived")}>Archive</Button>
                      </Show>
                      <Button variant="danger-ghost" icon="trash" onClick={async () => {
                        if (await confirmDialog({ title: "Delete this content?", message: "It is removed with its versions, comments and image. This cannot be undone.", confirmLabel: "Delete", danger: true })) {
                          await deleteContent(c().id).then(() => { toast.success("Deleted"); navigate("/content/library"); }, (e) => toast.error(errorMessage(e)));
                        }
                      }}>Delete</Button>
                    </div>
                    <ol class="trail" aria-label="Approval trail">
                      <For each={d().approvals}>{(a) => <li><strong>{ACTIONS[a.action] ?? a.action}</strong> by {a.actorRole?.replace("_", " ") ?? "someone"} · {formatDateTime(a.createdAt)}{a.note ? ` — ${a.note}` : ""}</li>}</For>
                    </ol>
                  </div>
                </Card>
                <Comments id={c().id} comments={d().comments} onAdded={refetch} />
              </div>
            </div>
          </>
        );
      }}
    </Show>
  );
}

function Comments(props: { id: string; comments: { id: string; authorName: string | null; body: string; createdAt: number }[]; onAdded: () => void }) {
  const [text, setText] = createSignal("");
  const { busy, submit } = createSubmit();
  const add = submit(async () => {
    if (!text().trim()) return;
    await comment(props.id, text().trim());
    setText("");
    props.onAdded();
  });
  return (
    <Card title="Comments">
      <ul class="trail">
        <For each={props.comments} fallback={<li class="muted">No comments yet.</li>}>{(c) => <li><strong>{c.authorName ?? "Former user"}</strong> · {formatDateTime(c.createdAt)}<br />{c.body}</li>}</For>
      </ul>
      <form class="stack" onSubmit={add} style={{ "margin-top": "12px" }}>
        <TextArea label="Add a comment" rows={2} value={text()} onValue={setText} />
        <Button type="submit" size="sm" loading={busy()}>Comment</Button>
      </form>
    </Card>
  );
}
