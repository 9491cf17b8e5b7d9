import { createResource, createSignal, For, Show } from "solid-js";
import { errorMessage } from "../../lib/api";
import { createTask, listTasks, updateTask, type Task } from "../../lib/api/tasks";
import { session } from "../../lib/session";
import { Button } from "../../ui/Button";
import { Badge, EmptyState, Loading } from "../../ui/Feedback";
import { PageHeader } from "../../ui/Layout";
import { toast } from "../../ui/Toast";
import { DataTable } from "../dashboard/DataTable";
import "../dashboard/dashboard.css";
import "./tasks.css";

const COLUMNS: [Task["status"], string][] = [["todo", "To do"], ["doing", "Doing"], ["done", "Done"]];

/** The workspace's tasks as a board (to do, doing, done) or a list. */
export default function Tasks() {
  const ws = () => session.workspace();
  const [data, { refetch }] = createResource(() => ws()?.id, (id) => listTasks(id));
  const [view, setView] = createSignal<"board" | "list">("board");
  const [title, setTitle] = createSignal("");
  const canEdit = () => session.can.editContent(ws()?.role);
  const create = async (e: Event) => {
    e.preventDefault();
    try { await createTask(ws()!.id, { title: title(), visibleToClient: false }); setTitle(""); void refetch(); } catch (err) { toast.error(errorMessage(err)); }
  };
  const move = async (t: Task, status: Task["status"]) => {
    try { await updateTask(ws()!.id, t.id, { status }); void refetch(); } catch (err) { toast.error(errorMessage(err)); }
  };
  const card = (t: Task) => (
    <li class="task-card" data-task={t.id}>
      <strong>{t.title}</strong>
      <div class="task-meta">
        {t.dueDate && <span>Due {t.dueDate}</span>} <For each={t.labels}>{(l) => <Badge tone="neutral">{l}</Badge>}</For>
        {t.visibleToClient && <Badge tone="brand">client</Badge>} <For each={t.links}>{(l) => <Badge tone="warning">{l.kind}: {l.label}</Badge>}</For>
      </div>
      <Show when={canEdit()}>
        <div class="task-move"><For each={COLUMNS.filter(([s]) => s !== t.status)}>{([s, label]) => <Button size="sm" variant="ghost" onClick={() => move(t, s)}>Move to {label}</Button>}</For></div>
      </Show>
    </li>
  );
  return (
    <Show when={ws()} fallback={<EmptyState title="Choose a workspace" />}>
      <PageHeader title="Tasks" actions={<div class="range-bar"><Button size="sm" variant={view() === "board" ? "primary" : "secondary"} onClick={() => setView("board")}>Board</Button><Button size="sm" variant={view() === "list" ? "primary" : "secondary"} onClick={() => setView("list")}>List</Button></div>} />
      <Show when={canEdit()}>
        <form class="range-bar" onSubmit={create}><label class="range-field"><span>New task</span><input value={title()} onInput={(e) => setTitle(e.currentTarget.value)} required maxLength={200} /></label><Button type="submit" variant="primary">Add</Button></form>
      </Show>
      <Show when={data()} fallback={<Loading label="Loading tasks" />}>
        <Show when={view() === "board"} fallback={
          <DataTable caption="Tasks" name="tasks" rows={data()!.tasks} columns={[
            { key: "title", header: "Task", value: (t) => t.title }, { key: "status", header: "Status", value: (t) => t.status },
            { key: "due", header: "Due", value: (t) => t.dueDate }, { key: "labels", header: "Labels", value: (t) => t.labels.join(", ") },
          ]} />
        }>
          <div class="board">
            <For each={COLUMNS}>{([s, label]) => <section class="board-col" aria-label={label}><h2>{label} <span class="muted">{data()!.tasks.filter((t) => t.status === s).length}</span></h2><ul><For each={data()!.tasks.filter((t) => t.status === s)}>{card}</For></ul></section>}</For>
          </div>
        </Show>
      </Show>
    </Show>
  );
}
