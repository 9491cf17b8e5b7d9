import { A, useSearchParams } from "@solidjs/router";
import { createResource, For, Show } from "solid-js";
import { errorMessage, isApiError } from "../../lib/api";
import { countOf } from "../../lib/format";
import { cancelPost, listPosts, retryPost, runDueNow, type Post, type PostListName } from "../../lib/api/publishing";
import { session } from "../../lib/session";
import { Button } from "../../ui/Button";
import { EmptyState, SkeletonRows } from "../../ui/Feedback";
import { Card, PageHeader } from "../../ui/Layout";
import { createSubmit } from "../../ui/submit";
import { toast } from "../../ui/Toast";
import { approvalNote, formatIn, networkLabel, PublishingTabs, statusBadge, VariantLines } from "./shared";

const COPY: Record<PostListName, { title: string; description: string; empty: string }> = {
  queue: { title: "Queue", description: "Scheduled posts, next first, in the workspace's time zone.", empty: "Nothing scheduled" },
  drafts: { title: "Drafts", description: "Posts saved without a time.", empty: "No drafts" },
  published: { title: "Published", description: "What went out, with each channel's reach and engagement once Meta reports it.", empty: "Nothing published yet" },
  stuck: { title: "Stuck", description: "Posts still not out minutes past their time, or failed, with the reason. Retrying never posts twice.", empty: "Nothing is stuck" },
};

function Metrics(props: { post: Post }) {
  const rows = () => props.post.variants.filter((v) => v.metrics);
  const max = () => Math.max(1, ...rows().map((v) => v.metrics!.reach));
  return (
    <Show when={rows().length} fallback={<small class="muted">Metrics appear after the next sync.</small>}>
      <div class="metric-bars" role="img" aria-label={rows().map((v) => `${networkLabel(v.network)} reach ${v.metrics!.reach}, ${v.metrics!.engagement} engagements`).join("; ")}>
        <For each={rows()}>
          {(v) => (
            <div class="metric-bar">
              <span>{networkLabel(v.network)}</span>
              <span class="bar" style={{ width: `${(100 * v.metrics!.reach) / max()}%` }} />
              <span>{v.metrics!.reach.toLocaleString()}</span>
            </div>
          )}
        </For>
        <small class="muted">Reach per channel · {rows().map((v) => `${networkLabel(v.network)}: ${countOf(v.metrics!.likes, "like")}, ${countOf(v.metrics!.comments, "comment")}, ${countOf(v.metrics!.views, "view")}`).join(" · ")}</small>
      </div>
    </Show>
  );
}

export function PostList(props: { list: PostListName }) {
  const [params] = useSearchParams();
  const list = () => (props.list === "queue" && params.list === "drafts" ? "drafts" : props.list);
  const ws = () => session.workspace()?.id ?? null;
  const [data, { refetch }] = createResource(() => (ws() ? { ws: ws()!, list: list() } : null), (p) => listPosts(p.ws, p.list));
  const { busy, run } = createSubmit();
  const act = (id: string, what: "retry" | "cancel") =>
    run(async () => {
      await (what === "retry" ? retryPost(ws()!, id) : cancelPost(ws()!, id));
      toast.success(what === "retry" ? "Retrying now" : "Cancelled");
      await refetch();
    }, id);
  const runNow = async () => {
    try {
      const r = await runDueNow(ws()!);
      toast.success(`Published ${r.published}, failed ${r.failed}, waiting ${r.deferred}`);
      await refetch();
    } catch (e) {
      toast.error(isApiError(e) && e.status === 404 ? "Only available locally" : errorMessage(e));
    }
  };
  return (
    <>
      <PageHeader title={COPY[list()].title} description={COPY[list()].description}
        actions={<><A class="btn btn-primary btn-md" href="/content/compose">Compose</A><Show when={props.list === "queue" && import.meta.env.MODE !== "production"}><Button onClick={runNow}>Publish due now (local)</Button></Show></>} />
      <PublishingTabs />
      <Show when={data()} fallback={<SkeletonRows rows={3} />}>
        <Show when={data()!.posts.length} fallback={<EmptyState icon="content" title={COPY[list()].empty} action={<A class="btn btn-secondary btn-md" href="/content/compose">Compose a post</A>}>Posts you compose and schedule show here.</EmptyState>}>
          <div class="post-list">
            <For each={data()!.posts}>
              {(p) => (
                <Card>
                  <div class="post-row">
                    <div class="post-head"><strong>{p.title}</strong>{statusBadge(p.status)}</div>
                    <small class="muted">{formatIn(p.scheduledFor, data()!.timeZone)} ({data()!.timeZone})</small>
                    {approvalNote(p)}
                    <Show when={p.stuck}><p role="status"><strong>Stuck:</strong> {p.stuck!.reason}</p></Show>
                    <VariantLines post={p} />
                    <Show when={list() === "published"}><Metrics post={p} /></Show>
                    <Show when={list() === "stuck" || (list() === "queue" && p.stuck)}>
                      <div class="post-row-actions">
                        <Button variant="primary" size="sm" loading={busy(p.id)} onClick={() => act(p.id, "retry")}>Retry</Button>
                        <Button variant="danger-ghost" size="sm" disabled={busy(p.id)} onClick={() => act(p.id, "cancel")}>Cancel</Button>
                      </div>
                    </Show>
                  </div>
                </Card>
              )}
            </For>
          </div>
        </Show>
      </Show>
    </>
  );
}
