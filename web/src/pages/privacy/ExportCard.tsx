import { createSignal, For, onCleanup, Show } from "solid-js";
import { api, errorMessage } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { Button } from "../../ui/Button";
import { Alert, Badge } from "../../ui/Feedback";
import { Card } from "../../ui/Layout";
import { toast } from "../../ui/Toast";
import type { ExportJob, Overview } from "../../lib/api/privacy";
import { formatBytes } from "./labels";

/** Follows a signed link: the browser downloads the archive straight to disk. */
async function download(jobId: string, format: "zip" | "json") {
  const { url } = await api<{ url: string }>(`/api/privacy/exports/${jobId}/link`, { method: "POST" });
  const a = document.createElement("a");
  a.href = `${url}?format=${format}`;
  a.download = "";
  document.body.append(a);
  a.click();
  a.remove();
}

function Progress(props: { job: ExportJob }) {
  return (
    <div class="stack" aria-live="polite">
      <div class="progress" role="progressbar" aria-label="Export progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={props.job.percent}>
        <span style={{ width: `${props.job.percent}%` }} />
      </div>
      <p class="muted small" data-testid="export-progress">
        {props.job.status === "queued" ? "Starting…" : `${props.job.rowsDone.toLocaleString()} of ${props.job.rowsTotal.toLocaleString()} rows · ${props.job.tablesDone} of ${props.job.tablesTotal} tables`}
      </p>
    </div>
  );
}

/** P19 access and portability: everything QWEB holds about you, as a ZIP (or JSON), with progress. */
export function ExportCard(props: { overview: Overview; onChange: () => void }) {
  const [job, setJob] = createSignal<ExportJob | null>(null);
  const [starting, setStarting] = createSignal(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));

  async function poll(id: string) {
    try {
      const { job: j } = await api<{ job: ExportJob }>(`/api/privacy/exports/${id}`);
      setJob(j);
      if (j.status === "ready" || j.status === "failed") {
        if (j.status === "ready") toast.success("Your export is ready to download");
        props.onChange();
        return;
      }
    } catch (e) {
      toast.error(errorMessage(e));
      return;
    }
    timer = setTimeout(() => poll(id), 600);
  }

  async function start() {
    setStarting(true);
    try {
      const { job: j } = await api<{ job: ExportJob }>("/api/privacy/exports", { method: "POST" });
      setJob(j);
      poll(j.id);
    } catch (e) {
      toast.error(errorMessage(e));
    } finally {
      setStarting(false);
    }
  }

  async function get(id: string, format: "zip" | "json") {
    try {
      await download(id, format);
    } catch (e) {
      toast.error(errorMessage(e));
    }
  }

  const recent = () => props.overview.exports.filter((e) => e.status === "ready" && e.expiresAt > Date.now()).slice(0, 3);
  const running = () => job() && job()!.status !== "ready" && job()!.status !== "failed";

  return (
    <Card
      id="export"
      title="Download your data"
      description="Every piece of personal data QWEB holds about you: one JSON file per table, your files, and a manifest. Password and token hashes are never included."
      actions={
        <Button variant="primary" icon="refresh" loading={starting() || !!running()} onClick={start} data-testid="export-start">
          {running() ? "Preparing…" : "Prepare my export"}
        </Button>
      }
    >
      <div class="stack">
        <Show when={job()}>
          {(j) => (
            <Show
              when={j().status === "ready"}
              fallback={
                <Show when={j().status === "failed"} fallback={<Progress job={j()} />}>
                  <Alert tone="danger" title="The export failed">
                    {j().error ?? "Try again."}
                  </Alert>
                </Show>
              }
            >
              <Alert tone="success" title="Your export is ready">
                {j().rowsDone.toLocaleString()} rows, {j().files} file(s), {formatBytes(j().bytes)}. Links are valid for 7 days.
                <div class="form-actions form-actions-start">
                  <Button variant="primary" icon="chevronDown" onClick={() => get(j().id, "zip")} data-testid="export-download-zip">
                    Download ZIP
                  </Button>
                  <Button onClick={() => get(j().id, "json")}>Download JSON</Button>
                </div>
              </Alert>
            </Show>
          )}
        </Show>
        <Show when={!job() && recent().length}>
          <ul class="stack">
            <For each={recent()}>
              {(e) => (
                <li class="switch-row">
                  <div>
                    <strong>Export of {formatDateTime(e.createdAt)}</strong>
                    <p class="muted">
                      {e.rowsDone.toLocaleString()} rows · {formatBytes(e.bytes)} · available until {formatDateTime(e.expiresAt)}
                    </p>
                  </div>
                  <div class="row-actions">
                    <Button size="sm" onClick={() => get(e.id, "zip")}>
                      ZIP
                    </Button>
                    <Button size="sm" onClick={() => get(e.id, "json")}>
                      JSON
                    </Button>
                  </div>
                </li>
              )}
            </For>
          </ul>
        </Show>
        <Show when={props.overview.lastExport}>
          {(l) => (
            <p class="muted small">
              Last export: {formatDateTime(l().completedAt)} — <Badge>{l().rows.toLocaleString()} rows</Badge> from {l().tables} tables.
            </p>
          )}
        </Show>
      </div>
    </Card>
  );
}
