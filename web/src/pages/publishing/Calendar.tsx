import { createMemo, createResource, createSignal, For, Show } from "solid-js";
import { errorMessage } from "../../lib/api";
import { calendar, schedulePost, type Post } from "../../lib/api/publishing";
import { session } from "../../lib/session";
import { Button } from "../../ui/Button";
import { SkeletonRows } from "../../ui/Feedback";
import { PageHeader } from "../../ui/Layout";
import { toast } from "../../ui/Toast";
import { localParts, networkLabel, PublishingTabs, zonedToUtc } from "./shared";

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const addDays = (day: string, n: number) => iso(Date.parse(`${day}T00:00:00Z`) + n * DAY);
/** Monday of the week of `day` (calendar days are plain dates: UTC arithmetic is exact). */
const mondayOf = (day: string) => addDays(day, -((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7));
const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

export default function Calendar() {
  const ws = () => session.workspace()?.id ?? null;
  const [mode, setMode] = createSignal<"month" | "week">("month");
  const [anchor, setAnchor] = createSignal(iso(Date.now()));
  const range = createMemo(() => {
    if (mode() === "week") {
      const from = mondayOf(anchor());
      return { from, to: addDays(from, 6), month: anchor().slice(0, 7) };
    }
    const first = `${anchor().slice(0, 7)}-01`;
    const from = mondayOf(first);
    const lastOfMonth = addDays(`${iso(Date.parse(`${first}T00:00:00Z`) + 32 * DAY).slice(0, 7)}-01`, -1);
    const to = addDays(mondayOf(lastOfMonth), 6);
    return { from, to, month: anchor().slice(0, 7) };
  });
  const [data, { refetch }] = createResource(() => (ws() ? { ws: ws()!, ...range() } : null), (p) => calendar(p.ws, p.from, p.to));
  const tz = () => data()?.timeZone ?? "UTC";
  const days = createMemo(() => {
    const out: string[] = [];
    for (let d = range().from; d <= range().to; d = addDays(d, 1)) out.push(d);
    return out;
  });
  const byDay = createMemo(() => {
    const m = new Map<string, Post[]>();
    for (const p of data()?.posts ?? []) {
      const d = localParts(p.scheduledFor!, tz()).day;
      m.set(d, [...(m.get(d) ?? []), p]);
    }
    return m;
  });
  const [dragging, setDragging] = createSignal<string | null>(null);
  const [over, setOver] = createSignal<string | null>(null);

  async function moveTo(postId: string, day: string) {
    const p = data()?.posts.find((x) => x.id === postId);
    if (!p || !ws()) return;
    const { time, day: from } = localParts(p.scheduledFor!, tz());
    if (from === day) return;
    try {
      await schedulePost(ws()!, postId, zonedToUtc(`${day}T${time}`, tz()));
      toast.success(`Moved to ${day} ${time}`);
      await refetch();
    } catch (e) {
      toast.error(errorMessage(e));
    }
  }
  const step = (n: number) => setAnchor((a) => (mode() === "week" ? addDays(a, 7 * n) : `${iso(Date.parse(`${a.slice(0, 7)}-15T00:00:00Z`) + n * 30 * DAY).slice(0, 7)}-01`));
  const title = () => (mode() === "week" ? `Week of ${range().from}` : new Date(`${range().month}-01T12:00:00Z`).toLocaleDateString(undefined, { month: "long", year: "numeric", timeZone: "UTC" }));

  return (
    <>
      <PageHeader title="Calendar" description={`Scheduled posts by day in the workspace's time zone (${tz()}). Drag a post to another day to reschedule it at the same time.`} />
      <PublishingTabs />
      <div class="cal-toolbar">
        <Button size="sm" onClick={() => step(-1)} aria-label="Previous">‹</Button>
        <strong aria-live="polite">{title()}</strong>
        <Button size="sm" onClick={() => step(1)} aria-label="Next">›</Button>
        <Button size="sm" variant={mode() === "month" ? "primary" : "secondary"} aria-pressed={mode() === "month"} onClick={() => setMode("month")}>Month</Button>
        <Button size="sm" variant={mode() === "week" ? "primary" : "secondary"} aria-pressed={mode() === "week"} onClick={() => setMode("week")}>Week</Button>
      </div>
      <Show when={data()} fallback={<SkeletonRows rows={5} />}>
        <section class={`cal-grid${mode() === "week" ? " cal-week" : ""}`} aria-label="Post calendar">
          <For each={WEEKDAYS}>{(d) => <div class="cal-head" aria-hidden="true">{d}</div>}</For>
          <For each={days()}>
            {(day) => (
              <div
                data-day={day}
                class={`cal-day${day.slice(0, 7) !== range().month && mode() === "month" ? " out" : ""}${over() === day ? " drop" : ""}`}
                onDragOver={(e) => { e.preventDefault(); setOver(day); }}
                onDragLeave={() => setOver(null)}
                onDrop={(e) => { e.preventDefault(); setOver(null); const id = e.dataTransfer?.getData("text/plain") || dragging(); if (id) void moveTo(id, day); }}
              >
                <span class="cal-day-num"><span aria-hidden="true">{Number(day.slice(8))}</span><span class="sr-only">{day}</span></span>
                <For each={byDay().get(day) ?? []}>
                  {(p) => (
                    <button
                      type="button"
                      class="cal-chip"
                      draggable={p.status === "scheduled" || p.status === "draft"}
                      data-post={p.id}
                      title={`${p.title} · ${p.variants.map((v) => networkLabel(v.network)).join(", ")}`}
                      onDragStart={(e) => { e.dataTransfer?.setData("text/plain", p.id); setDragging(p.id); }}
                      onDragEnd={() => setDragging(null)}
                    >
                      {localParts(p.scheduledFor!, tz()).time} {p.title}
                    </button>
                  )}
                </For>
              </div>
            )}
          </For>
        </section>
      </Show>
    </>
  );
}
