import { Show } from "solid-js";
import { Alert, Badge } from "../../ui/Feedback";
import type { Job } from "../../lib/api/ai";

const LABEL: Record<Job["status"], string> = { queued: "Queued", running: "Writing", retrying: "Waiting to retry", succeeded: "Done", failed: "Failed", cancelled: "Cancelled" };

export function JobProgress(props: { job: Job }) {
  const active = () => ["queued", "running", "retrying"].includes(props.job.status);
  return (
    <div class="job-progress" role="status" aria-live="polite">
      <div class="job-progress-head">
        <Badge tone={props.job.status === "failed" ? "danger" : props.job.status === "succeeded" ? "success" : "info"} dot={active()}>{LABEL[props.job.status]}</Badge>
        <small class="muted">{props.job.stage ?? ""}{props.job.attempts > 1 ? ` · attempt ${props.job.attempts}` : ""}</small>
      </div>
      <Show when={active()}>
        <progress max="100" value={props.job.status === "queued" ? 5 : Math.max(15, props.job.progress)} aria-label="Job progress" />
      </Show>
      <Show when={props.job.error && props.job.status !== "succeeded"}>
        <Alert tone={props.job.status === "failed" ? "danger" : "warning"}>{props.job.error!}</Alert>
      </Show>
    </div>
  );
}
