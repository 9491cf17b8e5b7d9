import { createSignal, For, Show } from "solid-js";
import { updateTeam, type Team } from "../../lib/api/inbox";
import { Button } from "../../ui/Button";
import { Alert } from "../../ui/Feedback";
import { createSubmit } from "../../ui/submit";
import { toast } from "../../ui/Toast";

type Member = { userId: string; name: string | null; email: string };

/** One team in the list: what it is, and (Edit) its name, cap and members, saved with PUT /teams/:id. */
export function TeamRow(props: { orgId: string; team: Team; members: Member[]; onSaved: () => void; onDelete: () => void }) {
  const [editing, setEditing] = createSignal(false);
  const [name, setName] = createSignal("");
  const [cap, setCap] = createSignal(20);
  const [picked, setPicked] = createSignal<string[]>([]);
  const { busy, error, setError, submit } = createSubmit({ show: "inline" });
  const start = () => {
    setName(props.team.name);
    setCap(props.team.maxOpenPerPerson);
    setPicked(props.team.members.map((m) => m.userId));
    setError(undefined);
    setEditing(true);
  };
  const save = submit(async () => {
    await updateTeam(props.orgId, props.team.id, { name: name(), maxOpenPerPerson: cap(), memberIds: picked() });
    toast.success("Team saved");
    setEditing(false);
    props.onSaved();
  });
  const label = (m: Member) => m.name || m.email;
  // Members of the team who are no longer listed members of the organization stay pickable.
  const choices = () => [...props.members, ...props.team.members.filter((m) => !props.members.some((x) => x.userId === m.userId))];
  const fid = () => `team-${props.team.id}`;
  return (
    <li class="inbox-team" data-team={props.team.name}>
      <Show
        when={editing()}
        fallback={
          <>
            <span><strong>{props.team.name}</strong> — cap {props.team.maxOpenPerPerson} open each; {props.team.members.map(label).join(", ") || "no members"}</span>
            <span class="inbox-actions">
              <Button size="sm" variant="secondary" icon="edit" onClick={start} aria-label={`Edit team ${props.team.name}`}>Edit</Button>
              <Button size="sm" variant="ghost" icon="trash" onClick={props.onDelete} aria-label={`Delete team ${props.team.name}`}>Delete</Button>
            </span>
          </>
        }
      >
        <form class="inbox-team-edit" onSubmit={save} aria-label={`Edit team ${props.team.name}`}>
          <Show when={error()}>
            <Alert tone="danger">{error()}</Alert>
          </Show>
          <label for={`${fid()}-name`}>Team name</label>
          <input id={`${fid()}-name`} required maxLength={80} value={name()} onInput={(e) => setName(e.currentTarget.value)} />
          <label for={`${fid()}-cap`}>Cap per person (open conversations)</label>
          <input id={`${fid()}-cap`} type="number" min="1" max="1000" required value={cap()} onInput={(e) => setCap(Number(e.currentTarget.value))} />
          <fieldset>
            <legend>Members</legend>
            <For each={choices()}>
              {(m) => (
                <label>
                  <input type="checkbox" checked={picked().includes(m.userId)} onChange={(e) => setPicked(e.currentTarget.checked ? [...picked(), m.userId] : picked().filter((x) => x !== m.userId))} /> {label(m)}
                </label>
              )}
            </For>
          </fieldset>
          <span class="inbox-actions">
            <Button type="submit" size="sm" variant="primary" loading={busy()}>Save team</Button>
            <Button type="button" size="sm" variant="ghost" onClick={() => setEditing(false)}>Cancel</Button>
          </span>
        </form>
      </Show>
    </li>
  );
}
