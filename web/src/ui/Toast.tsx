import { For } from "solid-js";
import { createStore, produce } from "solid-js/store";
import { Icon } from "./Icon";

type Tone = "success" | "error" | "info";
type Toast = { id: number; tone: Tone; message: string };

const [toasts, setToasts] = createStore<Toast[]>([]);
let next = 1;

function push(tone: Tone, message: string, ms = tone === "error" ? 7000 : 4000) {
  const id = next++;
  setToasts(produce((t) => void t.push({ id, tone, message })));
  setTimeout(() => dismiss(id), ms);
}
const dismiss = (id: number) => setToasts((t) => t.filter((x) => x.id !== id));

export const toast = {
  success: (m: string) => push("success", m),
  error: (m: string) => push("error", m),
  info: (m: string) => push("info", m),
};

/** Mounted once: polite announcements for successes, assertive for errors. */
export function Toaster() {
  const list = (tones: Tone[]) => toasts.filter((t) => tones.includes(t.tone));
  const render = (t: Toast) => (
    <div class={`toast toast-${t.tone}`}>
      <Icon name={t.tone === "success" ? "check" : t.tone === "error" ? "alert" : "info"} size={18} />
      <span class="toast-message">{t.message}</span>
      <button type="button" class="toast-close" aria-label="Dismiss notification" onClick={() => dismiss(t.id)}>
        <Icon name="x" size={15} />
      </button>
    </div>
  );
  return (
    <div class="toaster">
      <div aria-live="polite" aria-atomic="false" role="status" class="toaster-region">
        <For each={list(["success", "info"])}>{render}</For>
      </div>
      <div aria-live="assertive" aria-atomic="false" role="alert" class="toaster-region">
        <For each={list(["error"])}>{render}</For>
      </div>
    </div>
  );
}
