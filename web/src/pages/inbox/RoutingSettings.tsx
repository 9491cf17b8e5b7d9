import { createResource, createSignal, For, Show } from "solid-js";
import { errorMessage } from "../../lib/api";
import { session } from "../../lib/session";
import { listMembers } from "../../lib/api/orgs";
import { Button, LinkButton } from "../../ui/Button";
import { Alert, EmptyState } from "../../ui/Feedback";
import { Card, PageHeader } from "../../ui/Layout";
import { createSubmit } from "../../ui/submit";
import { toast } from "../../ui/Toast";
import { TeamRow } from "./TeamEditor";
import { categories, categoryLabels, createRule, createTeam, deleteRule, deleteTeam, getSla, listRules, listTeams, putSla, type Category, type Rule, type RuleBody } from "../../lib/api/inbox";
import "./inbox.css";

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const fields = [["from", "Sender"], ["to", "Recipient"], ["subject", "Subject"], ["body", "Body"], ["category", "AI category"]] as const;

function describeRule(r: Rule, teams: { id: string; name: string }[], members: { userId: string; name: string }[]) {
  const when = r.conditions.map((c) => `${fields.find((f) => f[0] === c.field)?.[1] ?? c.field} ${c.op === "domain" ? "is at" : c.op} "${c.value}"`).join(" and ");
  const a = r.action;
  const then = a.type === "team" ? `round robin in ${teams.find((t) => t.id === a.teamId)?.name ?? "a team"}` : a.type === "person" ? `assign ${members.find((m) => m.userId === a.userId)?.name ?? "a person"}` : a.type === "workspace" ? `move to ${session.workspaces().find((w) => w.id === a.workspaceId)?.name ?? "a workspace"}` : "";
  return `When ${when}: ${[r.setCategory ? `category ${categoryLabels[r.setCategory as Category]}` : "", then].filter(Boolean).join(", ")}`;
}

export default function RoutingSettings() {
  const orgId = () => session.org()?.id;
  const [rules, { refetch: refetchRules }] = createResource(orgId, (id) => listRules(id).then((r) => r.rules));
  const [teams, { refetch: refetchTeams }] = createResource(orgId, (id) => listTeams(id).then((r) => r.teams));
  const [members] = createResource(orgId, (id) => listMembers(id).then((r) => r.members));
  // The page's three forms share one error line at the top.
  const { busy, error, run, submit } = createSubmit({ show: "inline" });

  // New rule
  const [name, setName] = createSignal("");
  const [field, setField] = createSignal<RuleBody["conditions"][number]["field"]>("from");
  const [op, setOp] = createSignal<RuleBody["conditions"][number]["op"]>("contains");
  const [value, setValue] = createSignal("");
  const [setCat, setSetCat] = createSignal<Category | "">("");
  const [target, setTarget] = createSignal("none");
  const addRule = submit(async () => {
    const [type, id] = target().split(":");
    const action = type === "team" ? { type: "team" as const, teamId: id! } : type === "person" ? { type: "person" as const, userId: id! } : type === "workspace" ? { type: "workspace" as const, workspaceId: id! } : { type: "none" as const };
    await createRule(orgId()!, { name: name(), enabled: true, conditions: [{ field: field(), op: op(), value: value() }], action, setCategory: setCat() || null });
    setName("");
    setValue("");
    toast.success("Rule added");
    void refetchRules();
  }, "rule");

  // New team
  const [teamName, setTeamName] = createSignal("");
  const [cap, setCap] = createSignal(20);
  const [picked, setPicked] = createSignal<string[]>([]);
  const addTeam = submit(async () => {
    await createTeam(orgId()!, { name: teamName(), maxOpenPerPerson: cap(), memberIds: picked() });
    setTeamName("");
    setPicked([]);
    toast.success("Team created");
    void refetchTeams();
  }, "team");

  // SLA of a workspace
  const [slaWs, setSlaWs] = createSignal(session.workspaces()[0]?.id ?? "");
  const [sla, { mutate: setSla }] = createResource(slaWs, (id) => (id ? getSla(id) : Promise.resolve(null)));
  const saveSla = (e: Event) => {
    e.preventDefault();
    const s = sla();
    if (!s) return;
    void run(async () => {
      setSla(await putSla(slaWs(), { firstResponseMinutes: s.firstResponseMinutes, resolutionMinutes: s.resolutionMinutes, atRiskPercent: s.atRiskPercent, timeZone: s.timeZone, hours: s.hours }));
      toast.success("SLA saved");
    }, "sla");
  };
  const edit = (patch: Partial<NonNullable<ReturnType<typeof sla>>>) => setSla({ ...sla()!, ...patch });

  return (
    <>
      <PageHeader title="Routing and SLAs" description="Rules run on every new email before AI: a rule that sets a category decides it without AI; assignment rules may use the AI category." actions={<LinkButton href="/inbox" variant="secondary" icon="inbox">Back to the inbox</LinkButton>} />
      <Show when={error()}>
        <Alert tone="danger">{error()!}</Alert>
      </Show>
      <div class="settings-grid">
        <Card title="Routing rules" description="In order; the first matching rule with an assignment routes an unassigned conversation, and every rule that acts records why.">
          <Show when={rules()?.length} fallback={<EmptyState icon="layers" title="No rules yet" />}>
            <ul aria-label="Routing rules">
              <For each={rules()}>
                {(r) => (
                  <li>
                    <span><strong>{r.name}</strong> — {describeRule(r, teams() ?? [], members() ?? [])}</span>
                    <Button size="sm" variant="ghost" icon="trash" onClick={() => deleteRule(orgId()!, r.id).then(() => refetchRules(), (e) => toast.error(errorMessage(e)))}>Delete</Button>
                  </li>
                )}
              </For>
            </ul>
          </Show>
          <form onSubmit={addRule} aria-label="New rule">
            <label>Name <input required value={name()} onInput={(e) => setName(e.currentTarget.value)} /></label>
            <label>When{" "}
              <select value={field()} onChange={(e) => setField(e.currentTarget.value as RuleBody["conditions"][number]["field"])}>
                <For each={fields}>{(f) => <option value={f[0]}>{f[1]}</option>}</For>
              </select>
            </label>
            <label>Test{" "}
              <select value={op()} onChange={(e) => setOp(e.currentTarget.value as "contains" | "equals" | "domain")}>
                <option value="contains">contains</option>
                <option value="equals">equals</option>
                <option value="domain">is at domain</option>
              </select>
            </label>
            <label>Value <input required value={value()} onInput={(e) => setValue(e.currentTarget.value)} /></label>
            <label>Set category{" "}
              <select value={setCat()} onChange={(e) => setSetCat(e.currentTarget.value as Category | "")}>
                <option value="">(let AI decide)</option>
                <For each={categories}>{(c) => <option value={c}>{categoryLabels[c]}</option>}</For>
              </select>
            </label>
            <label>Then{" "}
              <select value={target()} onChange={(e) => setTarget(e.currentTarget.value)}>
                <option value="none">No assignment</option>
                <For each={teams() ?? []}>{(t) => <option value={`team:${t.id}`}>Round robin: {t.name}</option>}</For>
                <For each={members() ?? []}>{(m) => <option value={`person:${m.userId}`}>Assign {m.name}</option>}</For>
                <For each={session.workspaces()}>{(w) => <option value={`workspace:${w.id}`}>Move to {w.name}</option>}</For>
              </select>
            </label>
            <Button type="submit" variant="primary" icon="plus" loading={busy("rule")}>Add rule</Button>
          </form>
        </Card>
        <Card title="Teams" description="Round robin gives each new conversation to the member assigned longest ago who is below the cap of open conversations.">
          <Show when={teams()?.length} fallback={<EmptyState icon="users" title="No teams yet" />}>
            <ul aria-label="Teams">
              <For each={teams()}>
                {(t) => <TeamRow orgId={orgId()!} team={t} members={members() ?? []} onSaved={() => void refetchTeams()} onDelete={() => deleteTeam(orgId()!, t.id).then(() => refetchTeams(), (e) => toast.error(errorMessage(e)))} />}
              </For>
            </ul>
          </Show>
          <form onSubmit={addTeam} aria-label="New team">
            <label>Team name <input required value={teamName()} onInput={(e) => setTeamName(e.currentTarget.value)} /></label>
            <label>Cap per person <input type="number" min="1" max="1000" value={cap()} onInput={(e) => setCap(Number(e.currentTarget.value))} /></label>
            <fieldset>
              <legend>Members</legend>
              <For each={members() ?? []}>
                {(m) => (
                  <label>
                    <input type="checkbox" checked={picked().includes(m.userId)} onChange={(e) => setPicked(e.currentTarget.checked ? [...picked(), m.userId] : picked().filter((x) => x !== m.userId))} /> {m.name}
                  </label>
                )}
              </For>
            </fieldset>
            <Button type="submit" variant="primary" icon="plus" loading={busy("team")}>Create team</Button>
          </form>
        </Card>
        <Card title="SLA and business hours" description="Targets count business time only. The inbox warns the assignee (or the admins) before a target is missed and when it is.">
          <form onSubmit={saveSla} aria-label="SLA">
            <label>Workspace{" "}
              <select value={slaWs()} onChange={(e) => setSlaWs(e.currentTarget.value)}>
                <For each={session.workspaces()}>{(w) => <option value={w.id}>{w.name}</option>}</For>
              </select>
            </label>
            <Show when={sla()}>
              {(s) => (
                <>
                  <label>First response (minutes) <input type="number" min="5" value={s().firstResponseMinutes} onInput={(e) => edit({ firstResponseMinutes: Number(e.currentTarget.value) })} /></label>
                  <label>Resolution (minutes) <input type="number" min="5" value={s().resolutionMinutes} onInput={(e) => edit({ resolutionMinutes: Number(e.currentTarget.value) })} /></label>
                  <label>At risk at (% of target) <input type="number" min="10" max="95" value={s().atRiskPercent} onInput={(e) => edit({ atRiskPercent: Number(e.currentTarget.value) })} /></label>
                  <label>Time zone <input value={s().timeZone} onInput={(e) => edit({ timeZone: e.currentTarget.value })} /></label>
                  <label>Opens <input type="time" value={s().hours.start} onInput={(e) => edit({ hours: { ...s().hours, start: e.currentTarget.value } })} /></label>
                  <label>Closes <input type="time" value={s().hours.end} onInput={(e) => edit({ hours: { ...s().hours, end: e.currentTarget.value } })} /></label>
                  <fieldset>
                    <legend>Business days</legend>
                    <For each={DAYS}>
                      {(d, i) => (
                        <label>
                          <input type="checkbox" checked={s().hours.days.includes(i())} onChange={(e) => edit({ hours: { ...s().hours, days: e.currentTarget.checked ? [...s().hours.days, i()] : s().hours.days.filter((x) => x !== i()) } })} /> {d}
                        </label>
                      )}
                    </For>
                  </fieldset>
                  <Button type="submit" variant="primary" loading={busy("sla")}>{s().configured ? "Save SLA" : "Turn on SLA"}</Button>
                </>
              )}
            </Show>
          </form>
        </Card>
      </div>
    </>
  );
}
