import { createSignal, onCleanup } from "solid-js";
import { getJob, type Job } from "../../lib/api/ai";

const POLL_MS = 700;

/** Follows a job until it finishes: live status, progress and stage. */
export function useJob(onDone: (job: Job) => void) {
  const [job, setJob] = createSignal<Job | null>(null);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stop = () => timer && clearTimeout(timer);
  onCleanup(stop);
  const poll = async (id: string) => {
    try {
      const j = await getJob(id);
      setJob(j);
      if (["queued", "running", "retrying"].includes(j.status)) timer = setTimeout(() => poll(id), POLL_MS);
      else onDone(j);
    } catch {
      timer = setTimeout(() => poll(id), POLL_MS * 3);
    }
  };
  return { job, follow: (id: string) => (stop(), setJob(null), poll(id)) };
}
