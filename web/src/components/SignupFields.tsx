import { Show } from "solid-js";
import { formatDate } from "../lib/format";
import type { Policy } from "../lib/api/policy";
import { Checkbox, TextField } from "../ui/Form";

/** "I have read and accept the privacy policy (version of …)": signup and invitation acceptance. */
export function PolicyAcceptance(props: { policy: Policy | undefined; checked: boolean; onChange: (v: boolean) => void; error?: string }) {
  return (
    <Checkbox
      name="accept"
      checked={props.checked}
      onChange={props.onChange}
      error={props.error}
      label={
        <>
          I have read and accept the{" "}
          <a href="/privacy" target="_blank" rel="noopener">
            privacy policy
          </a>
          <Show when={props.policy}>{(p) => <span class="muted"> (version of {formatDate(p().effectiveDate)})</span>}</Show>
        </>
      }
    />
  );
}

/** Birth date, needed for the age check (P23: QWEB is for people aged 16 and over). */
export function BirthDateField(props: { value: string; onValue: (v: string) => void; error?: string }) {
  return (
    <TextField
      label="Birth date"
      name="birthDate"
      type="date"
      autocomplete="bday"
      max={new Date().toISOString().slice(0, 10)}
      value={props.value}
      onValue={props.onValue}
      error={props.error}
      hint="QWEB is for people aged 16 and over."
    />
  );
}
