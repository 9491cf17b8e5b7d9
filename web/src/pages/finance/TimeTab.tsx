import { createMemo, createResource, createSignal, For, Show } from "solid-js";
import { errorMessage } from "../../lib/api";
import { session } from "../../lib/session";
import { Button } from "../../ui/Button";
import { Badge, EmptyState } from "../../ui/Feedback";
import { Checkbox, FormError, SelectField, TextField } from "../../ui/Form";
import { Card } from "../../ui/Layout";
import { Modal } from "../../ui/Modal";
import { createSubmit } from "../../ui/submit";
import { toast } from "../../ui/Toast";
import { financeApi, type TimeEntry } from "./api";
import { hours, isoDay, localZone } from "./money";
import { clock, timer } from "./timer";

const DAY = 86_400_000;
const mondayOf = (d: Date) => {
  const m = new Date(d.getFullYear(), d.getMonth(), d.getDate());
  m.setDate(m.getDate() - ((m.getDay() + 6) % 7));
  return m;
};

export default function TimeTab() {
  const [week, setWeek] = createSignal(mondayOf(new Date()));
  const range = () => ({ from: week().getTime(), to: week().getTime() + 7 * DAY });
  const [entries, { refetch }] = createResource(() => [range(), timer.running()?.id ?? "", session.org()?.id] as const, ([r]) => financeApi.entries(r.from, r.to));
  const [projects, { refetch: refetchProjects }] = createResource(() => session.org()?.id, () => financeApi.projects());
  const [workspaceId, setWorkspaceId] = createSignal(session.workspace()?.id ?? "");
  const [projectId, setProjectId] = createSignal("");
  const [notes, setNotes] = createSignal("");
  const { busy, fail, run } = createSubmit();
  const [logOpen, setLogOpen] = createSignal(false);
  const wsName = (id: string) => session.workspaces().find((w) => w.id === id)?.name ?? "Client";
  const projectName = (id: string | null) => (id ? (projects() ?? []).find((p) => p.id === id)?.name ?? "" : "");
  const clientOptions = () => session.workspaces().map((w) => ({ value: w.id, label: w.name }));
  const projectOptions = (ws: string) => [{ value: "", label: "No project" }, ...(projects() ?? []).filter((p) => p.workspaceId === ws && !p.archivedAt).map((p) => ({ value: p.id, label: p.name }))];
  const days = createMemo(() => Array.from({ length: 7 }, (_, i) => new Date(week().getTime() + i * DAY)));
  const onDay = (d: Date) => (entries() ?? []).filter((e) => isoDay(new Date(e.startedAt)) === isoDay(d));
  const total = () => (entries() ?? []).reduce((s, e) => s + (e.durationMs ?? 0), 0);

  const start = () =>
    run(async () => {
      const ws = workspaceId() || session.workspace()?.id;
      if (!ws) return fail("Create a client workspace first");
      await timer.start({ workspaceId: ws, projectId: projectId() || null, notes: notes().trim(), timeZone: localZone() });
      setNotes("");
      toast.success("Timer started");
    });
  const stop = () =>
    run(async () => {
      await timer.stop();
      await refetch();
      toast.success("Time logged");
    });
  async function remove(e: TimeEntry) {
    try {
      await financeApi.deleteEntry(e.id);
      await refetch();
    } catch (err) {
      toast.error(errorMessage(err));
    }
  }
  async function newProject() {
    const name = prompt("Project name");
    if (!name?.trim() || !workspaceId()) return;
    try {
      const p = await financeApi.createProject(workspaceId(), name.trim());
      await refetchProjects();
      setProjectId(p.id);
    } catch (e) {
      toast.error(errorMessage(e));
    }
  }

  return (
    <>
      <Card title="Timer" description="One timer runs at a time; it keeps running when you reload or close the page.">
        <Show
          when={timer.running()}
          fallback={
            <div class="finance-row">
              <SelectField label="Client" value={workspaceId()} options={clientOptions()} onValue={(v) => (setWorkspaceId(v), setProjectId(""))} />
              <SelectField label="Project" value={projectId()} options={projectOptions(workspaceId())} onValue={setProjectId} />
              <TextField label="What are you working on?" value={notes()} onValue={setNotes} maxLength={2000} placeholder="e.g. Spring campaign ad copy" />
              <div class="finance-row-actions">
                <Button variant="ghost" size="sm" icon="plus" onClick={newProject}>
                  Project
                </Button>
                <Button variant="primary" icon="check" loading={busy()} onClick={start}>
                  Start timer
                </Button>
              </div>
            </div>
          }
        >
          {(r) => (
            <div class="finance-row">
              <p class="timer-big" aria-live="off">
                <span data-testid="page-timer">{clock(timer.elapsedMs())}</span>
                <span class="muted"> · {wsName(r().workspaceId)} {r().notes ? `· ${r().notes}` : ""}</span>
              </p>
              <Button variant="danger" loading={busy()} onClick={stop}>
                Stop
              </Button>
            </div>
          )}
        </Show>
      </Card>
      <Card
        title={`Week of ${week().toLocaleDateString(undefined, { day: "numeric", month: "long", year: "numeric" })}`}
        description={`${hours(total())} hours logged`}
        actions={
          <div class="finance-row-actions">
            <Button size="sm" variant="ghost" icon="chevronLeft" aria-label="Previous week" onClick={() => setWeek(new Date(week().getTime() - 7 * DAY))} />
            <Button size="sm" variant="secondary" onClick={() => setWeek(mondayOf(new Date()))}>
              This week
            </Button>
            <Button size="sm" variant="ghost" icon="chevronRight" aria-label="Next week" onClick={() => setWeek(new Date(week().getTime() + 7 * DAY))} />
            <Button size="sm" variant="primary" icon="plus" onClick={() => setLogOpen(true)}>
              Log time
            </Button>
          </div>
        }
        flush
      >
        <Show when={(entries() ?? []).length} fallback={<EmptyState icon="finance" title="No time this week">Start the timer or log time by hand.</EmptyState>}>
          <div class="table-wrap" tabindex="0" role="region" aria-label="Time entries of the week">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  <th scope="col">Client · project</th>
                  <th scope="col">Notes</th>
                  <th scope="col" class="num">Hours</th>
                  <th scope="col">Status</th>
                  <th scope="col" class="col-actions"><span class="sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                <For each={days()}>
                  {(d) => (
                    <For each={onDay(d)}>
                      {(e) => (
                        <tr>
                          <td>{d.toLocaleDateString(undefined, { weekday: "short", day: "numeric", month: "short" })}</td>
                          <td>
                            {wsName(e.workspaceId)}
                            <Show when={projectName(e.projectId)}> · {projectName(e.projectId)}</Show>
                          </td>
                          <td>{e.notes || <span class="muted">—</span>}</td>
                          <td class="num">{e.durationMs === null ? "running" : hours(e.durationMs)}</td>
                          <td>
                            <Show when={e.billed} fallback={<Badge tone={e.billable ? "info" : "neutral"}>{e.billable ? "Billable" : "Non-billable"}</Badge>}>
                              <Badge tone="success">Billed</Badge>
                            </Show>
                          </td>
                          <td class="col-actions">
                            <Show when={!e.billed && e.endedAt !== null}>
                              <Button size="sm" variant="danger-ghost" icon="trash" aria-label={`Delete entry of ${d.toLocaleDateString()}`} onClick={() => remove(e)} />
                            </Show>
                          </td>
                        </tr>
                      )}
                    </For>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        </Show>
      </Card>
      <Modal open={logOpen()} title="Log time" onClose={() => setLogOpen(false)}>
        <LogTimeForm clients={clientOptions()} projectOptions={projectOptions} onDone={() => (setLogOpen(false), refetch())} />
      </Modal>
    </>
  );
}

function LogTimeForm(props: { clients: { value: string; label: string }[]; projectOptions: (ws: string) => { value: string; label: string }[]; onDone: () => void }) {
  const [ws, setWs] = createSignal(session.workspace()?.id ?? props.clients[0]?.value ?? "");
  const [project, setProject] = createSignal("");
  const [day, setDay] = createSignal(isoDay(new Date()));
  const [from, setFrom] = createSignal("09:00");
  const [to, setTo] = createSignal("10:00");
  const [notes, setNotes] = createSignal("");
  const [billable, setBillable] = createSignal(true);
  const { busy, error, submit: onSubmit } = createSubmit({ show: "inline" });
  const submit = onSubmit(async () => {
    const startedAt = new Date(`${day()}T${from()}`).getTime();
    const endedAt = new Date(`${day()}T${to()}`).getTime();
    await financeApi.createEntry({ workspaceId: ws(), projectId: project() || null, startedAt, endedAt, timeZone: localZone(), notes: notes().trim(), billable: billable() });
    toast.success("Time logged");
    props.onDone();
  });
  return (
    <form class="form" onSubmit={submit} noValidate>
      <FormError error={error()} />
      <SelectField label="Client" value={ws()} options={props.clients} onValue={setWs} />
      <SelectField label="Project" value={project()} options={props.projectOptions(ws())} onValue={setProject} />
      <TextField label="Date" type="date" value={day()} onValue={setDay} />
      <div class="finance-row">
        <TextField label="From" type="time" value={from()} onValue={setFrom} />
        <TextField label="To" type="time" value={to()} onValue={setTo} />
      </div>
      <TextField label="Notes" value={notes()} onValue={setNotes} optional maxLength={2000} />
      <Checkbox label="Billable" checked={billable()} onChange={setBillable} />
      <div class="form-actions">
        <Button type="submit" variant="primary" loading={busy()}>
          Save entry
        </Button>
      </div>
    </form>
  );
}
