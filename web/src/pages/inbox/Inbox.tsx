import { createEffect, createResource, createSignal, For, onCleanup, onMount, Show } from "solid-js";
import { ChannelChip } from "./CommentThread";
import { errorMessage } from "../../lib/api";
import { formatDateTime, timeAgo } from "../../lib/format";
import { session } from "../../lib/session";
import { LinkButton } from "../../ui/Button";
import { EmptyState } from "../../ui/Feedback";
import { PageHeader } from "../../ui/Layout";
import { toast } from "../../ui/Toast";
import { ThreadView } from "./ThreadView";
import { Badge } from "../../ui/Feedback";
import { categories, categoryLabels, listConversations, markRead, updateConversation, type Category, type ConversationStatus } from "../../lib/api/inbox";
import "./inbox.css";

type Filters = { status: ConversationStatus; assignee: "all" | "mine" | "unassigned"; workspaceId: string; category: Category | ""; atRisk: boolean };

export default function Inbox() {
  const [filters, setFilters] = createSignal<Filters>({ status: "open", assignee: "all", workspaceId: "", category: "", atRisk: false });
  const orgId = () => session.org()?.id;
  const [list, { refetch }] = createResource(
    () => (orgId() ? { orgId: orgId()!, ...filters() } : null),
    (f) => listConversations(f.orgId, { status: f.status, assignee: f.assignee, workspaceId: f.workspaceId || undefined, category: f.category || undefined, sla: f.atRisk ? "at_risk" : undefined }),
  );
  const [selected, setSelected] = createSignal<string | null>(null);
  let replyBox: HTMLTextAreaElement | undefined;
  let assignBox: HTMLSelectElement | undefined;
  const rows = () => list()?.conversations ?? [];
  const set = (patch: Partial<Filters>) => setFilters({ ...filters(), ...patch });

  const open = async (id: string) => {
    setSelected(id);
    const c = rows().find((r) => r.id === id);
    if (c && c.unreadCount > 0) await markRead(id).then(() => refetch()).catch(() => {});
  };
  const move = (delta: number) => {
    const r = rows();
    if (!r.length) return;
    const i = r.findIndex((c) => c.id === selected());
    const next = r[Math.max(0, Math.min(r.length - 1, i < 0 ? 0 : i + delta))]!;
    void open(next.id);
    document.getElementById(`conv-${next.id}`)?.focus();
  };
  const resolve = async () => {
    const id = selected();
    if (!id) return;
    try {
      await updateConversation(id, { status: "resolved" });
      toast.success("Resolved");
      await refetch();
    } catch (e) {
      toast.error(errorMessage(e));
    }
  };
  const onKey = (e: KeyboardEvent) => {
    const t = e.target as HTMLElement | null;
    if (e.metaKey || e.ctrlKey || e.altKey || (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable))) return;
    if (e.key === "j") move(1);
    else if (e.key === "k") move(-1);
    else if (e.key === "e") void resolve();
    else if (e.key === "r" && selected()) {
      e.preventDefault();
      replyBox?.focus();
    } else if (e.key === "a" && selected()) {
      e.preventDefault();
      assignBox?.focus();
    } else return;
  };
  onMount(() => document.addEventListener("keydown", onKey));
  onCleanup(() => document.removeEventListener("keydown", onKey));
  createEffect(() => {
    if (list.error) toast.error(errorMessage(list.error));
  });

  return (
    <>
      <PageHeader
        title="Inbox"
        description="Email from your clients' connected mailboxes and comments on their Facebook and Instagram posts, in one team inbox. Shortcuts: j / k move, e resolves, r replies, a assigns."
        actions={
          <>
            <LinkButton href="/inbox/routing" variant="secondary" icon="layers">Routing and SLAs</LinkButton>
            <LinkButton href="/inbox/settings" variant="secondary" icon="plug">Mailboxes</LinkButton>
          </>
        }
      />
      <div class="inbox-filters" role="group" aria-label="Filters">
        <label>
          Status{" "}
          <select value={filters().status} onChange={(e) => set({ status: e.currentTarget.value as ConversationStatus })}>
            <option value="open">Open ({list()?.counts.open ?? 0})</option>
            <option value="pending">Pending</option>
            <option value="snoozed">Snoozed ({list()?.counts.snoozed ?? 0})</option>
            <option value="resolved">Resolved</option>
          </select>
        </label>
        <label>
          Assignee{" "}
          <select value={filters().assignee} onChange={(e) => set({ assignee: e.currentTarget.value as Filters["assignee"] })}>
            <option value="all">Everyone</option>
            <option value="mine">Mine ({list()?.counts.mine ?? 0})</option>
            <option value="unassigned">Unassigned ({list()?.counts.unassigned ?? 0})</option>
          </select>
        </label>
        <label>
          Workspace{" "}
          <select value={filters().workspaceId} onChange={(e) => set({ workspaceId: e.currentTarget.value })}>
            <option value="">All workspaces</option>
            <For each={session.workspaces()}>{(w) => <option value={w.id}>{w.name}</option>}</For>
          </select>
        </label>
        <label>
          Category{" "}
          <select value={filters().category} onChange={(e) => set({ category: e.currentTarget.value as Category | "" })}>
            <option value="">All categories</option>
            <For each={categories}>{(c) => <option value={c}>{categoryLabels[c]}</option>}</For>
          </select>
        </label>
        <label>
          <input type="checkbox" checked={filters().atRisk} onChange={(e) => set({ atRisk: e.currentTarget.checked })} /> SLA at risk ({list()?.counts.atRisk ?? 0})
        </label>
        <span class="inbox-unread" aria-live="polite">{list()?.counts.unread ?? 0} unread</span>
      </div>
      <div class="inbox-layout">
        <nav class="inbox-list" aria-label="Conversations">
          <Show when={rows().length} fallback={<EmptyState icon="inbox" title={list.loading ? "Loading…" : "No conversations here"}>Connect a mailbox in Mailboxes, or change the filters.</EmptyState>}>
            <ul>
              <For each={rows()}>
                {(c) => (
                  <li>
                    <button id={`conv-${c.id}`} type="button" class="inbox-row" classList={{ selected: selected() === c.id, unread: c.unreadCount > 0 }} aria-current={selected() === c.id ? "true" : undefined} onClick={() => open(c.id)}>
                      <span class="inbox-row-top">
                        <strong>{c.participants[0]?.name ?? c.participants[0]?.address ?? c.mailboxAddress}</strong>
                        <small>{timeAgo(c.lastMessageAt)}</small>
                      </span>
                      <span class="inbox-row-subject">
                        {c.subject}
                        <Show when={c.unreadCount > 0}>
                          <span class="inbox-badge">{c.unreadCount} unread</span>
                        </Show>
                      </span>
                      <span class="inbox-row-snippet">{c.summary ?? c.snippet}</span>
                      <span class="inbox-row-chips">
                        <ChannelChip transport={c.transport} />
                        <Show when={c.category}>
                          <span class="inbox-chip">{categoryLabels[c.category!]}</span>
                        </Show>
                        <Show when={c.status === "snoozed" && c.snoozedUntil}>
                          <span class="inbox-chip">Snoozed until {formatDateTime(c.snoozedUntil!)}</span>
                        </Show>
                        <Show when={c.slaState === "at_risk" || c.slaState === "breached"}>
                          <Badge tone={c.slaState === "breached" ? "danger" : "warning"}>SLA {c.slaState === "breached" ? "breached" : "at risk"}</Badge>
                        </Show>
                      </span>
                    </button>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </nav>
        <div class="inbox-pane">
          <Show when={selected()} keyed fallback={<p class="muted">Select a conversation (j / k).</p>}>
            {(id) => <ThreadView id={id} onChanged={() => void refetch()} replyRef={(el) => (replyBox = el)} assignRef={(el) => (assignBox = el)} />}
          </Show>
        </div>
      </div>
    </>
  );
}
