import { createEffect, createResource, createSignal, For, Show } from "solid-js";
import { errorMessage } from "../../lib/api";
import { createTask, listTasks, moveTask, type Task } from "../../lib/api/tasks";
import { session } from "../../lib/session";
import { Button } from "../../ui/Button";
import { Badge, EmptyState, Loading } from "../../ui/Feedback";
import { PageHeader } from "../../ui/Layout";
import { Menu, type MenuItem } from "../../ui/Menu";
import { toast } from "../../ui/Toast";
import { DataTable } from "../dashboard/DataTable";
import { afterIdOf, columnOf, moved, type Status } from "./board";
import "../dashboard/dashboard.css";
import "./tasks.css";

const COLUMNS: [Status, string][] = [["todo", "To do"], ["doing", "Doing"], ["done", "Done"]];
const labelOf = (s: Status) => COLUMNS.find(([c]) => c === s)![1];
type Drag = { id: string; pointer: number; x0: number; y0: number; dx: number; dy: number; active: boolean; target: { status: Status; index: number } | null };

/**
 * The workspace's tasks as a board (to do, doing, done) or a list. Cards move by pointer drag,
 * by the arrow keys on a card's handle, or by its "Move" menu; the board changes at once and goes
 * back if the server refuses.
 */
export default function Tasks() {
  const ws = () => session.workspace();
  const [data, { refetch }] = createResource(() => ws()?.id, (id) => listTasks(id));
  const [tasks, setTasks] = createSignal<Task[]>([]);
  createEffect(() => { const d = data(); if (d) setTasks(d.tasks); });
  const [view, setView] = createSignal<"board" | "list">("board");
  const [title, setTitle] = createSignal("");
  const [drag, setDrag] = createSignal<Drag | null>(null);
  const [said, setSaid] = createSignal("");
  const canEdit = () => session.can.editContent(ws()?.role);
  let board: HTMLDivElement | undefined;

  const create = async (e: Event) => {
    e.preventDefault();
    try { await createTask(ws()!.id, { title: title(), visibleToClient: false }); setTitle(""); void refetch(); } catch (err) { toast.error(errorMessage(err)); }
  };

  const focusHandle = (id: string) => requestAnimationFrame(() => board?.querySelector<HTMLElement>(`[data-task="${id}"] .task-grip`)?.focus());
  /** Optimistic move: the board changes now; the server's answer replaces the card, or the board goes back. */
  const move = async (id: string, status: Status, index: number, refocus = false) => {
    const before = tasks();
    const task = before.find((t) => t.id === id);
    if (!task) return;
    const next = moved(before, id, status, index);
    const col = columnOf(next, status);
    if (task.status === status && columnOf(before, status).indexOf(task) === col.findIndex((t) => t.id === id)) return;
    setTasks(next);
    setSaid(`${task.title} moved to ${labelOf(status)}, position ${col.findIndex((t) => t.id === id) + 1} of ${col.length}`);
    if (refocus) focusHandle(id);
    try {
      const saved = await moveTask(ws()!.id, id, { status, afterId: afterIdOf(next, id) });
      setTasks((all) => all.map((t) => (t.id === saved.id ? saved : t)));
      if (refocus) focusHandle(id);
    } catch (err) {
      setTasks(before);
      setSaid(`Move of ${task.title} undone`);
      toast.error(`Could not move "${task.title}": ${errorMessage(err)}`);
      if (refocus) focusHandle(id);
    }
  };

  const indexIn = (id: string) => { const t = tasks().find((x) => x.id === id)!; return { t, i: columnOf(tasks(), t.status).indexOf(t) }; };
  const onKey = (id: string, e: KeyboardEvent) => {
    const { t, i } = indexIn(id);
    const c = COLUMNS.findIndex(([s]) => s === t.status);
    const to: [Status, number] | null =
      e.key === "ArrowUp" ? [t.status, i - 1] : e.key === "ArrowDown" ? [t.status, i + 1]
      : e.key === "ArrowLeft" && c > 0 ? [COLUMNS[c - 1]![0], i] : e.key === "ArrowRight" && c < COLUMNS.length - 1 ? [COLUMNS[c + 1]![0], i] : null;
    if (!to || to[1] < 0) return;
    e.preventDefault();
    void move(id, to[0], to[1], true);
  };

  // Pointer drag: the card follows the pointer; the drop point is the column under it and the
  // number of that column's cards whose middle lies above it.
  const targetAt = (x: number, y: number, id: string): Drag["target"] => {
    for (const col of board?.querySelectorAll<HTMLElement>("[data-column]") ?? []) {
      const r = col.getBoundingClientRect();
      if (x < r.left || x > r.right || y < r.top - 40 || y > r.bottom + 40) continue;
      const cards = [...col.querySelectorAll<HTMLElement>("[data-task]")].filter((el) => el.dataset.task !== id);
      return { status: col.dataset.column as Status, index: cards.filter((el) => { const b = el.getBoundingClientRect(); return b.top + b.height / 2 < y; }).length };
    }
    return null;
  };
  const onPointerDown = (id: string, e: PointerEvent) => {
    if (!canEdit() || e.button !== 0) return;
    const onHandle = (e.target as HTMLElement).closest(".task-grip");
    if ((e.target as HTMLElement).closest("button, a, input, [role=menu]") && !onHandle) return;
    if (e.pointerType === "touch" && !onHandle) return; // touch scrolls the page unless it starts on the handle
    (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
    setDrag({ id, pointer: e.pointerId, x0: e.clientX, y0: e.clientY, dx: 0, dy: 0, active: false, target: null });
  };
  const onPointerMove = (e: PointerEvent) => {
    const d = drag();
    if (!d || d.pointer !== e.pointerId) return;
    const dx = e.clientX - d.x0, dy = e.clientY - d.y0;
    const active = d.active || Math.hypot(dx, dy) > 6;
    setDrag({ ...d, dx, dy, active, target: active ? targetAt(e.clientX, e.clientY, d.id) : null });
  };
  const onPointerUp = (e: PointerEvent) => {
    const d = drag();
    if (!d || d.pointer !== e.pointerId) return;
    setDrag(null);
    if (d.active && d.target) void move(d.id, d.target.status, d.target.index);
  };

  const menuItems = (t: Task): MenuItem[] => {
    const { i } = indexIn(t.id);
    const n = columnOf(tasks(), t.status).length;
    return [
      ...COLUMNS.filter(([s]) => s !== t.status).map(([s, label]) => ({ id: `to-${s}`, label: `Move to ${label}`, onSelect: () => void move(t.id, s, 0, true) })),
      ...(i > 0 ? [{ id: "up", label: "Move up", onSelect: () => void move(t.id, t.status, i - 1, true) }] : []),
      ...(i < n - 1 ? [{ id: "down", label: "Move down", onSelect: () => void move(t.id, t.status, i + 1, true) }] : []),
    ];
  };

  const card = (t: Task) => {
    const dragging = () => drag()?.id === t.id && drag()!.active;
    return (
      <li class="task-card" classList={{ dragging: dragging() }} data-task={t.id}
        style={dragging() ? { transform: `translate(${drag()!.dx}px, ${drag()!.dy}px)` } : undefined}
        onPointerDown={(e) => onPointerDown(t.id, e)} onPointerMove={onPointerMove} onPointerUp={onPointerUp} onPointerCancel={() => setDrag(null)}>
        <div class="task-head">
          <Show when={canEdit()}>
            <button type="button" class="task-grip" aria-label={`Move ${t.title}`} aria-describedby="task-move-help" aria-keyshortcuts="ArrowUp ArrowDown ArrowLeft ArrowRight" onKeyDown={(e) => onKey(t.id, e)}>
              <span aria-hidden="true">⠿</span>
            </button>
          </Show>
          <strong>{t.title}</strong>
        </div>
        <div class="task-meta">
          {t.dueDate && <span>Due {t.dueDate}</span>} <For each={t.labels}>{(l) => <Badge tone="neutral">{l}</Badge>}</For>
          {t.visibleToClient && <Badge tone="brand">client</Badge>} <For each={t.links}>{(l) => <Badge tone="warning">{l.kind}: {l.label}</Badge>}</For>
        </div>
        <Show when={canEdit()}>
          <div class="task-move"><Menu label={t.title} trigger={<span>Move</span>} items={menuItems(t)} /></div>
        </Show>
      </li>
    );
  };
  const column = ([s, label]: [Status, string]) => {
    const cards = () => columnOf(tasks(), s);
    const rest = () => cards().filter((t) => t.id !== drag()?.id);
    const marker = () => { const d = drag(); return d?.active && d.target?.status === s ? d.target.index : -1; };
    return (
      <section class="board-col" classList={{ "drop-here": marker() >= 0 }} aria-label={label} data-column={s}>
        <h2>{label} <span class="muted">{cards().length}</span></h2>
        <ul>
          <For each={cards()}>{(t) => <>{marker() >= 0 && t.id !== drag()?.id && marker() === rest().indexOf(t) && <li class="drop-marker" aria-hidden="true" />}{card(t)}</>}</For>
          {marker() >= 0 && marker() >= rest().length && <li class="drop-marker" aria-hidden="true" />}
        </ul>
      </section>
    );
  };
  return (
    <Show when={ws()} fallback={<EmptyState title="Choose a workspace" />}>
      <PageHeader title="Tasks" actions={<div class="range-bar"><Button size="sm" variant={view() === "board" ? "primary" : "secondary"} onClick={() => setView("board")}>Board</Button><Button size="sm" variant={view() === "list" ? "primary" : "secondary"} onClick={() => setView("list")}>List</Button></div>} />
      <Show when={canEdit()}>
        <form class="range-bar" onSubmit={create}><label class="range-field"><span>New task</span><input value={title()} onInput={(e) => setTitle(e.currentTarget.value)} required maxLength={200} /></label><Button type="submit" variant="primary">Add</Button></form>
      </Show>
      <p id="task-move-help" class="sr-only">Drag a card to another place, or focus its handle and use the arrow keys: up and down reorder, left and right change the column.</p>
      <p class="sr-only" role="status" aria-live="polite">{said()}</p>
      <Show when={data()} fallback={<Loading label="Loading tasks" />}>
        <Show when={view() === "board"} fallback={
          <DataTable caption="Tasks" name="tasks" rows={tasks()} columns={[
            { key: "title", header: "Task", value: (t) => t.title }, { key: "status", header: "Status", value: (t) => t.status },
            { key: "due", header: "Due", value: (t) => t.dueDate }, { key: "labels", header: "Labels", value: (t) => t.labels.join(", ") },
          ]} />
        }>
          <div class="board" ref={board} classList={{ "is-dragging": !!drag()?.active }}>
            <For each={COLUMNS}>{column}</For>
          </div>
        </Show>
      </Show>
    </Show>
  );
}
