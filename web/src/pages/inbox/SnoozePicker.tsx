import { createSignal, For, Show } from "solid-js";
import { Button } from "../../ui/Button";
import { formatIn, fromLocalInput, snoozePresets, toLocalInput, validZone } from "./snooze-times";

/**
 * "Snooze until…": later today, tomorrow 9:00, next Monday 9:00 in the workspace's time zone,
 * or a date and time of one's own; the conversation leaves the open list until then.
 */
export function SnoozePicker(props: { timeZone: string | null | undefined; onSnooze: (until: number, label: string) => Promise<void> | void }) {
  const [open, setOpen] = createSignal(false);
  const [custom, setCustom] = createSignal("");
  const [error, setError] = createSignal<string | null>(null);
  const tz = () => validZone(props.timeZone);
  const presets = () => snoozePresets(Date.now(), tz());
  const pick = async (at: number) => {
    setOpen(false);
    await props.onSnooze(at, `Snoozed until ${formatIn(at, tz())}`);
  };
  const submitCustom = async (e: Event) => {
    e.preventDefault();
    const at = fromLocalInput(custom(), tz());
    if (at === null) return setError("Pick a date and a time.");
    if (at <= Date.now()) return setError("Pick a time in the future.");
    setError(null);
    await pick(at);
  };
  return (
    <div class="inbox-snooze">
      <Button size="sm" variant="secondary" aria-expanded={open()} aria-controls="inbox-snooze-panel" onClick={() => { setOpen(!open()); setCustom(toLocalInput(Date.now() + 3_600_000, tz())); setError(null); }}>
        Snooze…
      </Button>
      <Show when={open()}>
        <div id="inbox-snooze-panel" class="inbox-snooze-panel" role="group" aria-label="Snooze until">
          <ul>
            <For each={presets()}>
              {(p) => (
                <li>
                  <button type="button" class="inbox-snooze-preset" data-preset={p.id} data-at={p.at} onClick={() => pick(p.at)}>
                    <span>{p.label}</span> <small>{formatIn(p.at, tz())}</small>
                  </button>
                </li>
              )}
            </For>
          </ul>
          <form noValidate onSubmit={submitCustom}>
            <label>
              Date and time <small class="muted">({tz()})</small>
              <input type="datetime-local" name="snooze-at" value={custom()} min={toLocalInput(Date.now(), tz())} onInput={(e) => setCustom(e.currentTarget.value)} aria-invalid={error() ? "true" : undefined} aria-describedby={error() ? "inbox-snooze-error" : undefined} />
            </label>
            <Show when={error()}>
              <p id="inbox-snooze-error" class="field-error" role="alert">{error()}</p>
            </Show>
            <Button size="sm" type="submit" variant="primary">Snooze until then</Button>
          </form>
        </div>
      </Show>
    </div>
  );
}
