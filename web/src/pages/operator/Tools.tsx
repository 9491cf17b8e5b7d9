import { createResource, createSignal, For, Show } from "solid-js";
import { api } from "../../lib/api";
import { formatDate, formatDateTime } from "../../lib/format";
import { Button } from "../../ui/Button";
import { Alert, Badge, EmptyState, SkeletonRows } from "../../ui/Feedback";
import { Checkbox, createForm, FormError, TextArea, TextField } from "../../ui/Form";
import { Card } from "../../ui/Layout";
import { confirmDialog } from "../../ui/Modal";
import { Table } from "../../ui/Table";
import { toast } from "../../ui/Toast";

type Report = { runId: string; cron: string; scheduledAt: number; rule: string; subjects: number; rowsDeleted: number; objectsDeleted: number; statements: number; durationMs: number; maxBatchMs: number; complete: boolean; error: string | null };

/** P13–P18: what each retention run removed, rule by rule. */
export function PurgeReports() {
  const [data] = createResource(() => api<{ reports: Report[] }>("/api/operator/purge-reports"));
  const runs = () => {
    const by = new Map<string, Report[]>();
    for (const r of data.latest?.reports ?? []) by.set(r.runId, [...(by.get(r.runId) ?? []), r]);
    return [...by.values()];
  };
  return (
    <Show when={data.latest} fallback={<SkeletonRows cols={5} />}>
      <Show when={runs().length} fallback={<EmptyState icon="activity" title="No retention run yet">The daily run at 03:00 UTC writes a report here.</EmptyState>}>
        <For each={runs()}>
          {(run) => (
            <Card
              title={`Retention run of ${formatDateTime(run[0]!.scheduledAt)}`}
              description={`${run[0]!.cron === "0 3 * * *" ? "Daily run" : "Continuation"} · ${run.reduce((a, r) => a + r.rowsDeleted, 0).toLocaleString()} rows, ${run.reduce((a, r) => a + r.objectsDeleted, 0)} objects, ${run.reduce((a, r) => a + r.subjects, 0)} subjects erased`}
              flush
              actions={run.every((r) => r.complete) ? <Badge tone="success">complete</Badge> : <Badge tone="warning">continues next run</Badge>}
            >
              <Table
                caption="Rules of the run"
                rows={run}
                rowKey={(r) => r.rule}
                columns={[
                  { header: "Rule", cell: (r) => <span class="small">{r.rule}</span> },
                  { header: "Rows", cell: (r) => r.rowsDeleted.toLocaleString() },
                  { header: "Objects", cell: (r) => r.objectsDeleted, class: "hide-sm" },
                  { header: "Time", cell: (r) => `${r.durationMs} ms`, class: "hide-sm" },
                  { header: "", cell: (r) => (r.error ? <Badge tone="danger">{r.error}</Badge> : r.complete ? null : <Badge tone="warning">partial</Badge>) },
                ]}
              />
            </Card>
          )}
        </For>
      </Show>
    </Show>
  );
}

/** P23: find an account and erase it at once when it belongs to a child under 16. */
export function ChildAccount() {
  const [found, setFound] = createSignal<{ id: string; email: string; name: string; birthDate: string; createdAt: number } | null>(null);
  const form = createForm({ initial: { email: "", note: "" } });
  const onSubmit = form.submit(async (v) => {
    const res = await api<{ user: NonNullable<ReturnType<typeof found>> }>("/api/operator/users", { query: { email: v.email.trim() } });
    setFound(res.user);
  });
  async function erase() {
    const u = found();
    if (!u) return;
    const ok = await confirmDialog({
      title: "Erase this account now?",
      message: <p>{u.email} is erased at once, with organizations only they belong to. There is no grace period and no undo. The action is recorded.</p>,
      confirmLabel: "Erase now",
      danger: true,
    });
    if (!ok) return;
    const res = await api<{ erased: boolean; rows: number }>(`/api/operator/users/${u.id}/child`, { body: { note: form.values.note || undefined } });
    toast.success(res.erased ? `Erased: ${res.rows} rows` : "Erasure started; the retention run finishes it");
    setFound(null);
    form.reset();
  }
  return (
    <Card title="Child account (under 16)" description="QWEB is not for people under 16. When an account turns out to be a child's, erase it here: at once, audited, no grace period.">
      <form class="form form-narrow" onSubmit={onSubmit} noValidate>
        <FormError error={form.errors.form} />
        <TextField label="Account email" name="email" type="email" value={form.values.email} onValue={(v) => form.set("email", v)} />
        <TextArea label="Note for the record" name="note" rows={2} value={form.values.note} onValue={(v) => form.set("note", v)} />
        <div class="form-actions form-actions-start">
          <Button type="submit" loading={form.submitting()}>
            Find account
          </Button>
        </div>
      </form>
      <Show when={found()}>
        {(u) => (
          <Alert tone="warning" title={u().email}>
            {u().name} · born {formatDate(u().birthDate)} · joined {formatDate(u().createdAt)}
            <div class="form-actions form-actions-start">
              <Button variant="danger" onClick={erase}>
                Flag as a child and erase now
              </Button>
            </div>
          </Alert>
        )}
      </Show>
    </Card>
  );
}

/** P25: publish a policy version; a material one is announced and must be accepted at next sign-in. */
export function PublishPolicy() {
  const form = createForm({ initial: { version: "", effectiveDate: new Date().toISOString().slice(0, 10), title: "Privacy Policy", summary: "", text: "", material: true as boolean } });
  const onSubmit = form.submit(async (v) => {
    await api("/api/operator/policies", { body: { ...v, summary: v.summary || undefined } });
    toast.success(v.material ? "Published and announced to every user" : "Published");
    form.reset();
  });
  return (
    <Card title="Publish a privacy policy version" description="The current version is served at /privacy. A material change is announced in the app and by email, and every user accepts it at their next sign-in.">
      <form class="form" onSubmit={onSubmit} noValidate>
        <FormError error={form.errors.form} />
        <div class="form-row">
          <TextField label="Version" name="version" value={form.values.version} onValue={(v) => form.set("version", v)} error={form.errors.version} />
          <TextField label="Effective date" name="effectiveDate" type="date" value={form.values.effectiveDate} onValue={(v) => form.set("effectiveDate", v)} error={form.errors.effectiveDate} />
        </div>
        <TextField label="Title" name="title" value={form.values.title} onValue={(v) => form.set("title", v)} />
        <TextArea label="What changes (shown to users)" name="summary" rows={2} value={form.values.summary} onValue={(v) => form.set("summary", v)} />
        <TextArea label="Full text" name="text" rows={8} value={form.values.text} onValue={(v) => form.set("text", v)} error={form.errors.text} />
        <Checkbox label="Material change (notify everyone and ask for acceptance)" checked={form.values.material} onChange={(v) => form.set("material", v)} />
        <div class="form-actions form-actions-start">
          <Button type="submit" variant="primary" loading={form.submitting()}>
            Publish
          </Button>
        </div>
      </form>
    </Card>
  );
}
