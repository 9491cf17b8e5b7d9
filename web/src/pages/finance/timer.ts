import { createEffect, createRoot, createSignal, on, onCleanup } from "solid-js";
import { financeOf } from "../../lib/api/finance";
import { session } from "../../lib/session";
import type { BodyOf } from "../../lib/api/client";
import type { TimeEntry } from "./api";

/** The running timer of the signed-in person in the current organization, shared by the shell and the Time page. */
function createTimer() {
  const [running, setRunning] = createSignal<TimeEntry | null>(null);
  const [now, setNow] = createSignal(Date.now());
  const orgId = () => (session.isOrgMember() ? session.org()?.id : undefined);
  const fin = () => financeOf(orgId() ?? "");
  const refresh = async () => {
    if (!orgId()) return setRunning(null);
    try {
      setRunning((await fin().timer()).timer);
    } catch {
      setRunning(null);
    }
  };
  createEffect(on(() => [session.status(), orgId()], () => session.status() === "authenticated" && refresh()));
  createEffect(() => {
    if (!running()) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    onCleanup(() => clearInterval(t));
  });
  return {
    running,
    elapsedMs: () => (running() ? Math.max(0, now() - running()!.startedAt) : 0),
    refresh,
    start: async (body: BodyOf<"/api/orgs/{orgId}/finance/timer/start", "post">) => setRunning(await fin().startTimer(body)),
    stop: async () => {
      const stopped = await fin().stopTimer();
      setRunning(null);
      return stopped;
    },
  };
}

export const timer = createRoot(createTimer);

export const clock = (ms: number) => {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
};
