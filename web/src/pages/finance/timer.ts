import { createEffect, createRoot, createSignal, on, onCleanup } from "solid-js";
import { api } from "../../lib/api";
import { session } from "../../lib/session";
import type { TimeEntry } from "./api";

/** The running timer of the signed-in person in the current organization, shared by the shell and the Time page. */
function createTimer() {
  const [running, setRunning] = createSignal<TimeEntry | null>(null);
  const [now, setNow] = createSignal(Date.now());
  const orgId = () => (session.isOrgMember() ? session.org()?.id : undefined);
  const path = (p: string) => `/api/orgs/${orgId()}/finance${p}`;
  const refresh = async () => {
    if (!orgId()) return setRunning(null);
    try {
      setRunning((await api<{ timer: TimeEntry | null }>(path("/timer"))).timer);
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
    start: async (body: Record<string, unknown>) => setRunning(await api<TimeEntry>(path("/timer/start"), { body })),
    stop: async () => {
      const stopped = await api<TimeEntry>(path("/timer/stop"), { method: "POST" });
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
