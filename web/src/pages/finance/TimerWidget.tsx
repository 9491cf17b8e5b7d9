import "./finance.css";
import { A } from "@solidjs/router";
import { Show } from "solid-js";
import { errorMessage } from "../../lib/api";
import { toast } from "../../ui/Toast";
import { clock, timer } from "./timer";

/** The running timer in the app shell: visible on every page, stoppable from anywhere. */
export function TimerWidget() {
  return (
    <Show when={timer.running()}>
      <div class="timer-widget" role="status" aria-label="Running timer">
        <A href="/finance?tab=time" class="timer-widget-time">
          <span class="timer-dot" aria-hidden="true" />
          <span data-testid="shell-timer">{clock(timer.elapsedMs())}</span>
        </A>
        <button
          type="button"
          class="btn btn-sm btn-secondary"
          onClick={() => timer.stop().then(() => toast.success("Timer stopped"), (e) => toast.error(errorMessage(e)))}
        >
          Stop timer
        </button>
      </div>
    </Show>
  );
}
