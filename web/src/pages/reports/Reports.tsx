import { createResource, createSignal, For, Show } from "solid-js";
import { errorMessage } from "../../lib/api";
import { generateReport, getTemplate, listReports, reportPdf, shareReport, type ReportRow } from "../../lib/api/reports";
import { formatDateTime } from "../../lib/format";
import { session } from "../../lib/session";
import { Button } from "../../ui/Button";
import { Alert, EmptyState, Loading } from "../../ui/Feedback";
import { Card, PageHeader } from "../../ui/Layout";
import { createSubmit } from "../../ui/submit";
import { toast } from "../../ui/Toast";
import { TemplateEditor } from "./TemplateEditor";
import "../dashboard/dashboard.css";


/** Generated reports (the portal sees them too), generate now, share links, and the template. */
export default function Reports() {
  const ws = () => session.workspace();
  const [list, { refetch }] = createResource(() => ws()?.id, (id) => listReports(id));
  const [template, { mutate }] = createResource(() => ws()?.id, (id) => getTemplate(id));
  const [preset, setPreset] = createSignal("28d");
  const { busy, run } = createSubmit();
  const [editing, setEditing] = createSignal(false);
  const canEdit = () => session.can.editContent(ws()?.role);
  const generate = () => run(async () => { await generateReport(ws()!.id, preset()); toast.success("Report generated"); void refetch(); });
  const open = async (r: ReportRow) => {
    try { window.open(URL.createObjectURL(await reportPdf(ws()!.id, r.id)), "_blank"); } catch (e) { toast.error(errorMessage(e)); }
  };
  const share = async (r: ReportRow) => {
    try {
      const s = await shareReport(ws()!.id, r.id, 7);
      await navigator.clipboard?.writeText(s.url).catch(() => undefined);
      toast.success(`Read-only link (valid until ${formatDateTime(s.expiresAt)}): ${s.url}`);
    } catch (e) { toast.error(errorMessage(e)); }
  };
  return (
    <Show when={ws()} fallback={<EmptyState title="Choose a workspace" />}>
      <PageHeader title="Reports" description="Branded PDF reports from the dashboard's figures, generated now or on a schedule." actions={<Show when={canEdit()}><Button variant="secondary" onClick={() => setEditing(!editing())}>{editing() ? "Close template" : "Edit template"}</Button></Show>} />
      <Show when={editing() && template()}><TemplateEditor ws={ws()!.id} template={template()!} onSaved={(t) => { mutate(t); setEditing(false); }} /></Show>
      <Show when={canEdit()}>
        <div class="range-bar">
          <label class="range-field"><span>Period</span>
            <select value={preset()} onChange={(e) => setPreset(e.currentTarget.value)}>
              <option value="7d">Last 7 days</option><option value="28d">Last 28 days</option><option value="90d">Last 90 days</option><option value="mtd">Month to date</option><option value="12m">Last 12 months</option>
            </select>
          </label>
          <Button variant="primary" loading={busy()} onClick={generate}>Generate report</Button>
        </div>
      </Show>
      <Card title="Generated reports" flush>
        <Show when={!list.error} fallback={<Alert tone="danger">{errorMessage(list.error)}</Alert>}>
          <Show when={list()} fallback={<Loading label="Loading reports" />}>
            <Show when={list()!.reports.length} fallback={<p class="muted pad">No reports yet.</p>}>
              <ul class="alert-list">
                <For each={list()!.reports}>
                  {(r) => (
                    <li class="alert-item" data-report={r.id}>
                      <div><strong>{r.title}</strong><p>{r.rangeFrom} – {r.rangeTo}</p><small class="muted">{r.trigger === "schedule" ? "Scheduled" : "Generated"} {formatDateTime(r.createdAt)} · {Math.ceil(r.sizeBytes / 1024)} KB</small></div>
                      <div class="alert-actions">
                        <Button size="sm" onClick={() => open(r)}>Open PDF</Button>
                        <Show when={canEdit()}><Button size="sm" variant="ghost" onClick={() => share(r)}>Share link</Button></Show>
                      </div>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </Show>
        </Show>
      </Card>
    </Show>
  );
}
