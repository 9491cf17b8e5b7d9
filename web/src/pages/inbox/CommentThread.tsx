// A Facebook / Instagram comment conversation: the post it is on (text, link), then each comment
// with its author and a Hide / Show again moderation button (hiding is undone the same way).
import { createResource, For, Show } from "solid-js";
import { errorMessage } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { Button } from "../../ui/Button";
import { Badge } from "../../ui/Feedback";
import { Icon } from "../../ui/Icon";
import { toast } from "../../ui/Toast";
import { channelLabel, getCommentThread, setCommentHidden } from "../../lib/api/inbox-comments";
import type { Message } from "../../lib/api/inbox";

export function ChannelChip(props: { transport: string }) {
  return (
    <Show when={props.transport !== "email"}>
      <span class="inbox-chip inbox-channel" classList={{ [props.transport]: true }}>
        <Icon name={props.transport === "instagram" ? "instagram" : "facebook"} size={13} /> {channelLabel(props.transport)}
      </span>
    </Show>
  );
}

export function CommentThread(props: { conversationId: string; messages: Message[]; canModerate: boolean }) {
  const [info, { mutate, refetch }] = createResource(() => props.conversationId, (id) => getCommentThread(id));
  const stateOf = (messageId: string) => info()?.comments.find((c) => c.messageId === messageId);
  const toggle = async (messageId: string, hidden: boolean) => {
    try {
      const r = await setCommentHidden(props.conversationId, messageId, hidden);
      const cur = info();
      if (cur) mutate({ ...cur, comments: cur.comments.map((c) => (c.messageId === messageId ? { ...c, hidden: r.hidden, hiddenAt: r.hidden ? Date.now() : null } : c)) });
      toast.success(hidden ? `Comment hidden on ${channelLabel(cur?.network ?? "")}` : "Comment visible again");
    } catch (e) {
      toast.error(errorMessage(e));
      void refetch();
    }
  };
  return (
    <div class="inbox-comments">
      <Show when={info()?.post}>
        {(p) => (
          <aside class="inbox-post" aria-label="The post these comments are on">
            <small>{channelLabel(info()!.network)} post{p().publishedAt ? ` · ${formatDateTime(p().publishedAt!)}` : ""}</small>
            <p>{p().message ?? "(no text)"}</p>
            <Show when={p().permalink}>
              <a href={p().permalink!} target="_blank" rel="noopener noreferrer">
                View the post on {channelLabel(info()!.network)} <Icon name="external" size={13} />
              </a>
            </Show>
          </aside>
        )}
      </Show>
      <For each={props.messages}>
        {(m) => {
          const c = () => stateOf(m.id);
          return (
            <article class="inbox-message inbox-comment" classList={{ outbound: m.direction === "out", hidden: !!c()?.hidden }} aria-label={`${m.direction === "out" ? "Your reply" : "Comment"} by ${m.from.name ?? m.from.address}`}>
              <header>
                <strong>{m.from.name ?? m.from.address}</strong>
                <small>{m.direction === "out" ? "Reply from your account" : c()?.parentId ? "Reply in the thread" : "Comment"} · {formatDateTime(m.date)}</small>
              </header>
              <p class="inbox-text">{m.text}</p>
              <Show when={c() && !c()!.own}>
                <div class="inbox-actions">
                  <Show when={c()!.hidden}>
                    <Badge tone="warning">Hidden from the public</Badge>
                  </Show>
                  <Button size="sm" variant="secondary" icon={c()!.hidden ? "eye" : "lock"} disabled={!props.canModerate} onClick={() => toggle(m.id, !c()!.hidden)}>
                    {c()!.hidden ? "Show again" : "Hide comment"}
                  </Button>
                </div>
              </Show>
            </article>
          );
        }}
      </For>
    </div>
  );
}
