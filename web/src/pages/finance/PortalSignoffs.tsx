import { createResource, createSignal, For, Show } from "solid-js";
import { decideSignoff, portalSignoff, portalSignoffs } from "../../lib/api/finance";
import { session } from "../../lib/session";
import { Button } from "../../ui/Button";
import { Alert, Badge, EmptyState } from "../../ui/Feedback";
import { TextArea } from "../../ui/Form";
import { Card, PageHeader } from "../../ui/Layout";
import { createSubmit } from "../../ui/submit";
import { toast } from "../../ui/Toast";
import { h, SignoffEntries, signoffLabel, signoffTone } from "./signoff";

/** The client portal: the agency's requests to sign off hours. Portal editors and admins decide; viewers see. */
export default function PortalSignoffs() {
  const ws = () => session.workspace()?.id;
  const [list, { refetch }] = createResource(ws, (id) => portalSignoffs(id));
  const [open, setOpen] = createSignal<string | null>(null);
  const selected = () => open() ?? list()?.find((s) => s.status === "pending")?.id ?? list()?.[0]?.id ?? null;
  const [detail, { refetch: refetchDetail }] = createResource(() => (ws() && selected() ? [ws()!, selected()!] as const : null), ([w, id]) => portalSignoff(w, id));
  const [comment, setComment] = createSignal("");
  const { busy, fail, run } = createSubmit();
  const decide = (decision: "approve" | "dispute") =>
    run(async () => {
      if (decision === "dispute" && comment().trim().length < 3) return fail("Say what you question in the hours");
      await decideSignoff(ws()!, selected()!, { decision, ...(comment().trim() ? { comment: comment().trim() } : {}) });
      toast.success(decision === "approve" ? "Hours approved" : "Dispute sent to your agency");
      setComment("");
      refetch();
      refetchDetail();
    });
  return (
    <>
      <PageHeader title="Hours sign-off" description={<>Hours your agency logged for <strong>{session.workspace()?.name}</strong>, for you to approve.</>} />
      <Show when={(list() ?? []).length} fallback={<Card><EmptyState icon="finance" title="Nothing to sign off">When your agency asks you to approve its hours, they show here.</EmptyState></Card>}>
        <Card title="Requests" flush>
          <ul class="signoff-requests" aria-label="Sign-off requests">
            <For each={list()}>
              {(s) => (
                <li>
                  <button type="button" class="btn btn-ghost btn-md" aria-pressed={selected() === s.id} onClick={() => setOpen(s.id)}>
                    {s.from} – {s.to}{s.projectName ? ` · ${s.projectName}` : ""} · {h(s.totalMinutes)}
                  </button>
                  <Badge tone={signoffTone[s.status]}>{signoffLabel[s.status]}</Badge>
                </li>
              )}
            </For>
          </ul>
        </Card>
        <Show when={detail()}>
          {(d) => (
            <Card title={`Hours ${d().from} – ${d().to}`} description={d().message ? <>From your agency: “{d().message}”</> : undefined}>
              <SignoffEntries detail={d()} />
              <Show when={d().status === "pending"}>
                <Show when={d().canDecide} fallback={<Alert tone="info">Your workspace's editors and admins approve hours; you can see them here.</Alert>}>
                  <div class="form signoff-decision">
                    <TextArea label="Comment (required to dispute)" optional value={comment()} onValue={setComment} maxLength={2000} rows={3} />
                    <div class="form-actions">
                      <Button variant="primary" loading={busy()} onClick={() => decide("approve")}>Approve hours</Button>
                      <Button variant="danger-ghost" disabled={busy()} onClick={() => decide("dispute")}>Dispute</Button>
                    </div>
                  </div>
                </Show>
              </Show>
              <Show when={d().status !== "pending" && d().decidedByName}>
                <p class="muted">{signoffLabel[d().status]} by {d().decidedByName}{d().decidedAt ? ` on ${new Date(d().decidedAt!).toLocaleDateString()}` : ""}.</p>
              </Show>
            </Card>
          )}
        </Show>
      </Show>
    </>
  );
}
