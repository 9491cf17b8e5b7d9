import { A } from "@solidjs/router";
import { createResource, createSignal, For, Show } from "solid-js";
import { formatDateTime } from "../../lib/format";
import { session } from "../../lib/session";
import { Badge, EmptyState, SkeletonRows } from "../../ui/Feedback";
import { SelectField, TextField } from "../../ui/Form";
import { PageHeader } from "../../ui/Layout";
import type { Kind } from "../../lib/api/ai";
import { listContent, type Status } from "../../lib/api/content";
import { KIND_LABELS, STATUS_LABELS } from "./format";
import { AuthImage } from "./AuthImage";
import { ContentTabs } from "./Tabs";
import { statusTone } from "./VariantCard";
import "./content.css";

export default function Library() {
  const [kind, setKind] = createSignal<Kind | "">("");
  const [status, setStatus] = createSignal<Status | "">("");
  const [q, setQ] = createSignal("");
  const [items] = createResource(
    () => (session.workspace() ? { ws: session.workspace()!.id, kind: kind(), status: status(), q: q() } : null),
    (p) => listContent(p.ws, { kind: p.kind || undefined, status: p.status || undefined, q: p.q || undefined }),
  );
  return (
    <>
      <PageHeader title="Content library" description="Everything written for this workspace, kept until you delete it." />
      <ContentTabs />
      <div class="filters">
        <SelectField label="Kind" value={kind()} onValue={(v) => setKind(v as Kind | "")} options={[{ value: "", label: "All kinds" }, ...(Object.keys(KIND_LABELS) as Kind[]).map((k) => ({ value: k, label: KIND_LABELS[k] }))]} />
        <SelectField label="Status" value={status()} onValue={(v) => setStatus(v as Status | "")} options={[{ value: "", label: "Any status" }, ...(Object.keys(STATUS_LABELS) as Status[]).map((s) => ({ value: s, label: STATUS_LABELS[s] }))]} />
        <TextField label="Search titles" type="search" value={q()} onValue={setQ} />
      </div>
      <Show when={!items.loading || items()} fallback={<SkeletonRows rows={4} />}>
        <Show when={(items() ?? []).length > 0} fallback={<EmptyState icon="content" title="No content yet" action={<A class="btn btn-primary btn-md" href="/content">Open the studio</A>}>Generated posts, ads, emails, images, plans and insights land here.</EmptyState>}>
          <div class="library">
            <For each={items()}>
              {(item) => (
                <A class="card library-card" href={`/content/${item.id}`}>
                  <Show when={item.hasImage}>
                    <AuthImage contentId={item.id} alt={item.title} class="content-image library-thumb" />
                  </Show>
                  <div class="post-head">
                    <small class="muted">{KIND_LABELS[item.kind]}</small>
                    <Badge tone={statusTone(item.status)}>{STATUS_LABELS[item.status]}</Badge>
                  </div>
                  <p><strong>{item.title}</strong></p>
                  <small class="muted">{item.provider} · {formatDateTime(item.createdAt)}</small>
                </A>
              )}
            </For>
          </div>
        </Show>
      </Show>
    </>
  );
}
