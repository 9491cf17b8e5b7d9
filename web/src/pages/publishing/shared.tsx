import { createResource, For, onCleanup, Show } from "solid-js";
import { apiBlob } from "../../lib/api";
import { mediaPath, type Post } from "../../lib/api/publishing";
import { Badge } from "../../ui/Feedback";
import { ContentTabs } from "../content/Tabs";
import "../content/content.css";
import "./publishing.css";

/** The content area's sub-navigation (studio and publishing share it). */
export const PublishingTabs = ContentTabs;

/** The UTC instant of a wall-clock "YYYY-MM-DDTHH:mm" in `tz`. */
export function zonedToUtc(local: string, tz: string): number {
  const guess = Date.parse(`${local}:00Z`);
  const offset = localParts(guess, tz).asUtc - guess;
  const first = guess - offset;
  // Across a DST change the offset at the answer may differ: correct once.
  return guess - (localParts(first, tz).asUtc - first);
}

export function localParts(ms: number, tz: string) {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone: tz, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" }).formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const day = `${get("year")}-${String(get("month")).padStart(2, "0")}-${String(get("day")).padStart(2, "0")}`;
  const time = `${String(get("hour")).padStart(2, "0")}:${String(get("minute")).padStart(2, "0")}`;
  return { day, time, asUtc: Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second")) };
}

export const formatIn = (ms: number | null | undefined, tz: string) =>
  ms ? new Intl.DateTimeFormat(undefined, { timeZone: tz, dateStyle: "medium", timeStyle: "short" }).format(new Date(ms)) : "—";

const STATUS: Record<string, { label: string; tone: "neutral" | "brand" | "success" | "warning" | "danger" | "info" }> = {
  draft: { label: "Draft", tone: "neutral" }, scheduled: { label: "Scheduled", tone: "info" }, publishing: { label: "Publishing", tone: "brand" },
  published: { label: "Published", tone: "success" }, partial: { label: "Partly published", tone: "warning" }, failed: { label: "Failed", tone: "danger" }, cancelled: { label: "Cancelled", tone: "neutral" },
};
export const statusBadge = (s: string) => <Badge tone={STATUS[s]?.tone ?? "neutral"}>{STATUS[s]?.label ?? s}</Badge>;
export const networkLabel = (n: string) => (n === "instagram" ? "Instagram" : "Facebook");

export function approvalNote(p: Post) {
  const a = p.approval;
  if (!a) return null;
  const text: Record<string, string> = { proposed: "Waiting for approval", approved: "Approved", scheduled: "Approved, scheduled", running: "Publishing", done: "Done", rejected: "Rejected", failed: "Failed", cancelled: "Cancelled" };
  return <small class="muted">Approval: {text[a.state] ?? a.state}</small>;
}

/** A library image fetched with the session's token (an <img src> cannot send it). */
export function MediaThumb(props: { workspaceId: string; mediaId: string; alt: string }) {
  const [src] = createResource(() => props.mediaId, async (id) => URL.createObjectURL(await apiBlob(mediaPath(props.workspaceId, id))));
  onCleanup(() => {
    const s = src();
    if (s) URL.revokeObjectURL(s);
  });
  return (
    <Show when={src()} fallback={<div class="media-thumb image-placeholder" aria-hidden="true" />}>
      <img class="media-thumb" src={src()} alt={props.alt} />
    </Show>
  );
}

export function VariantLines(props: { post: Post }) {
  return (
    <ul class="variant-lines">
      <For each={props.post.variants}>
        {(v) => (
          <li>
            <strong>{networkLabel(v.network)}</strong> · {v.accountName} · {statusBadge(v.status)}
            <Show when={v.permalink}>{" "}<a href={v.permalink!} target="_blank" rel="noopener noreferrer">View post</a></Show>
            <Show when={Object.keys(v.altTexts ?? {}).length}>
              <div class="muted">Alt text: {v.mediaIds.flatMap((id, i) => (v.altTexts[id] ? [`${v.mediaIds.length > 1 ? `${i + 1}. ` : ""}${v.altTexts[id]}`] : [])).join(" · ")}</div>
            </Show>
            <Show when={v.error}><div class="muted">{v.error}</div></Show>
          </li>
        )}
      </For>
    </ul>
  );
}
