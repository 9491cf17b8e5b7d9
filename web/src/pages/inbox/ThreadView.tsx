import { createEffect, createResource, createSignal, For, Show } from "solid-js";
import { apiBlob, errorMessage } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { session } from "../../lib/session";
import { Button } from "../../ui/Button";
import { Alert, Badge } from "../../ui/Feedback";
import { createSubmit } from "../../ui/submit";
import { toast } from "../../ui/Toast";
import { MessageBody } from "./MessageBody";
import { SnoozePicker } from "./SnoozePicker";
import { CommentThread } from "./CommentThread";
import { addNote as postNote, allowImages, categoryLabels, classifyConversation, generateAiDraft, getThread, saveDraft as postDraft, sendReply, updateConversation, type ConversationPatch, type Message } from "../../lib/api/inbox";
import { listMembers } from "../../lib/api/orgs";

const who = (p: { name: string | null; address: string }) => (p.name ? `${p.name} <${p.address}>` : p.address);

function MessageCard(props: { m: Message; conversationId: string; onChange: () => void }) {
  const allow = async () => {
    try {
      await allowImages(props.conversationId, props.m.from.address);
      props.onChange();
    } catch (e) {
      toast.error(errorMessage(e));
    }
  };
  return (
    <article class="inbox-message" classList={{ outbound: props.m.direction === "out" }} aria-label={`${props.m.direction === "out" ? "Sent" : "Received"} message from ${props.m.from.address}`}>
      <header>
        <strong>{who(props.m.from)}</strong>
        <small>to {props.m.to.map(who).join(", ")} · {formatDateTime(props.m.date)}</small>
        <Show when={props.m.archived}>
          <Badge tone="neutral">Archived in the mailbox</Badge>
        </Show>
      </header>
      <Show when={props.m.remoteImages > 0 && !props.m.imagesAllowed}>
        <div class="inbox-images-blocked">
          <span>{props.m.remoteImages} remote image{props.m.remoteImages === 1 ? " is" : "s are"} hidden to protect your privacy.</span>
          <Button size="sm" variant="secondary" onClick={allow}>
            Show images from this sender
          </Button>
        </div>
      </Show>
      <MessageBody message={props.m} />
      <Show when={props.m.attachments.length}>
        <ul class="inbox-attachments" aria-label="Attachments">
          <For each={props.m.attachments}>
            {(a) => (
              <li>
                <button type="button" class="linklike" onClick={() => download(props.conversationId, a.id, a.filename)}>
                  {a.filename}
                </button>{" "}
                <small>({a.contentType}, {Math.ceil(a.size / 1024)} KB)</small>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </article>
  );
}

async function download(conversationId: string, attachmentId: string, filename: string) {
  try {
    const url = URL.createObjectURL(await apiBlob(`/api/inbox/conversations/${conversationId}/attachments/${attachmentId}`));
    const a = document.createElement("a");
    a.href = url;
    a.download = filename;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (e) {
    toast.error(errorMessage(e));
  }
}

export function ThreadView(props: { id: string; onChanged: () => void; replyRef?: (el: HTMLTextAreaElement) => void; assignRef?: (el: HTMLSelectElement) => void }) {
  const [thread, { refetch }] = createResource(() => props.id, (id) => getThread(id));
  const [members] = createResource(() => session.org()?.id, (orgId) => listMembers(orgId).then((r) => r.members).catch(() => []));
  const [reply, setReply] = createSignal("");
  const [draftId, setDraftId] = createSignal<string | undefined>(undefined);
  // The reply box's actions share one error line above it.
  const { busy, error, run, submit } = createSubmit({ show: "inline" });
  const [labels, setLabels] = createSignal("");
  createEffect(() => {
    const t = thread();
    if (!t) return;
    setLabels(t.conversation.labels.join(", "));
    const d = t.drafts[0];
    if (d && !reply()) {
      setReply(d.body);
      setDraftId(d.id);
    }
  });
  const aiDraft = () =>
    run(async () => {
      const d = await generateAiDraft(props.id, draftId());
      setReply(d.body);
      setDraftId(d.id);
      toast.success("AI draft ready: edit it, then send");
    }, "draft");
  const classify = async () => {
    try {
      await classifyConversation(props.id);
      changed();
    } catch (err) {
      toast.error(errorMessage(err));
    }
  };
  const [note, setNote] = createSignal("");
  const changed = () => {
    void refetch();
    props.onChanged();
  };
  const patch = async (body: ConversationPatch, done: string) => {
    try {
      await updateConversation(props.id, body);
      toast.success(done);
      changed();
    } catch (e) {
      toast.error(errorMessage(e));
    }
  };
  const send = submit(async () => {
    const out = await sendReply(props.id, reply(), draftId());
    setReply("");
    setDraftId(undefined);
    toast.success(out.sent ? "Reply sent" : "Reply proposed: it waits for approval");
    changed();
  }, "send");
  const saveDraft = () =>
    run(async () => {
      const d = await postDraft(props.id, reply(), draftId());
      setDraftId(d.id);
      toast.success("Draft saved to the mailbox");
      void refetch();
    }, "save");
  const addNote = async (e: Event) => {
    e.preventDefault();
    try {
      await postNote(props.id, note());
      setNote("");
      void refetch();
    } catch (err) {
      toast.error(errorMessage(err));
    }
  };
  return (
    <Show when={thread()} fallback={<p class="muted">{thread.error ? errorMessage(thread.error) : "Loading conversation…"}</p>}>
      {(t) => (
        <section class="inbox-thread" aria-label="Conversation">
          <header class="inbox-thread-head">
            <h2>{t().conversation.subject}</h2>
            <div class="inbox-actions">
              <Badge tone={t().conversation.status === "open" ? "info" : "neutral"}>{t().conversation.status}</Badge>
              <Show when={t().conversation.status === "snoozed" && t().conversation.snoozedUntil}>
                <small class="muted">until {formatDateTime(t().conversation.snoozedUntil!)}</small>
              </Show>
              <Button size="sm" variant="secondary" onClick={() => patch({ assigneeId: session.user()?.id ?? null }, "Assigned to you")}>
                Assign to me
              </Button>
              <SnoozePicker timeZone={session.workspaces().find((w) => w.id === t().conversation.workspaceId)?.timeZone} onSnooze={(until, label) => patch({ status: "snoozed", snoozedUntil: until }, label)} />
              <Show when={t().conversation.status !== "resolved"} fallback={<Button size="sm" variant="secondary" onClick={() => patch({ status: "open" }, "Reopened")}>Reopen</Button>}>
                <Button size="sm" variant="primary" onClick={() => patch({ status: "resolved" }, "Resolved")}>
                  Resolve (e)
                </Button>
              </Show>
            </div>
          </header>
          <div class="inbox-triage">
            <Show when={t().conversation.category} fallback={<span class="muted">{t().conversation.categoryReason ?? "Not classified yet."}</span>}>
              <span class="inbox-chip" title={`${t().conversation.categoryReason ?? ""} (${t().conversation.categoryModel ?? ""})`}>{categoryLabels[t().conversation.category!]}</span>
              <span class="inbox-summary">{t().conversation.summary}</span>
            </Show>
            <Show when={t().conversation.slaState && t().conversation.slaState !== "ok"}>
              <Badge tone={t().conversation.slaState === "breached" ? "danger" : "warning"}>SLA {t().conversation.slaState === "breached" ? "breached" : "at risk"}</Badge>
            </Show>
            <Button size="sm" variant="ghost" onClick={classify}>Classify again</Button>
          </div>
          <div class="inbox-actions inbox-assign">
            <label>
              Assignee (a){" "}
              <select id="inbox-assign" ref={props.assignRef} value={t().conversation.assigneeId ?? ""} onChange={(e) => patch({ assigneeId: e.currentTarget.value || null }, "Assignee changed")}>
                <option value="">Unassigned</option>
                <For each={members() ?? []}>{(m) => <option value={m.userId}>{m.name || m.email}</option>}</For>
              </select>
            </label>
            <form class="inbox-labels" onSubmit={(e) => { e.preventDefault(); void patch({ labels: labels().split(",").map((l) => l.trim()).filter(Boolean) }, "Labels saved"); }}>
              <label>
                Labels <input value={labels()} onInput={(e) => setLabels(e.currentTarget.value)} placeholder="vip, follow-up" />
              </label>
              <Button size="sm" type="submit" variant="secondary">Save labels</Button>
            </form>
          </div>
          <Show when={t().ruleRuns.length}>
            <details class="inbox-rule-runs">
              <summary>Why it was routed ({t().ruleRuns.length})</summary>
              <ul>
                <For each={t().ruleRuns}>{(r) => <li>{r.reason} <small>{formatDateTime(r.createdAt)}</small></li>}</For>
              </ul>
            </details>
          </Show>
          <Show when={t().conversation.transport !== "email"} fallback={<For each={t().messages}>{(m) => <MessageCard m={m} conversationId={props.id} onChange={() => void refetch()} />}</For>}>
            <CommentThread conversationId={props.id} messages={t().messages} canModerate={session.isOrgMember()} />
          </Show>
          <Show when={t().notes.length}>
            <section class="inbox-notes" aria-label="Internal notes">
              <h3>Internal notes</h3>
              <For each={t().notes}>
                {(n) => (
                  <p>
                    <strong>{n.authorName ?? "Someone"}</strong>: {n.body} <small>{formatDateTime(n.createdAt)}</small>
                  </p>
                )}
              </For>
            </section>
          </Show>
          <form class="inbox-reply" onSubmit={send}>
            <label for="inbox-reply-text">Reply (r)</label>
            <textarea id="inbox-reply-text" ref={props.replyRef} rows={5} value={reply()} onInput={(e) => setReply(e.currentTarget.value)} placeholder="Write your reply, or let AI draft it" />
            <Show when={error()}>
              <Alert tone="danger">{error()!}</Alert>
            </Show>
            <div class="inbox-actions">
              <Button type="button" variant="secondary" icon="sparkles" disabled={busy("draft")} onClick={aiDraft}>
                {busy("draft") ? "Drafting…" : draftId() ? "Regenerate AI draft" : "Draft with AI"}
              </Button>
              <Button type="submit" variant="primary" disabled={busy("send") || !reply().trim()}>
                {busy("send") ? "Sending…" : "Send reply"}
              </Button>
              <Button type="button" variant="secondary" disabled={!reply().trim()} onClick={saveDraft}>
                Save draft
              </Button>
            </div>
          </form>
          <form class="inbox-note-form" onSubmit={addNote}>
            <label for="inbox-note-text">Internal note</label>
            <input id="inbox-note-text" value={note()} onInput={(e) => setNote(e.currentTarget.value)} />
            <Button type="submit" size="sm" variant="secondary" disabled={!note().trim()}>
              Add note
            </Button>
          </form>
        </section>
      )}
    </Show>
  );
}
