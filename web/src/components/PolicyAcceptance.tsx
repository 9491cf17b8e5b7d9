import { Show } from "solid-js";
import { formatDate } from "../lib/format";
import type { Policy } from "../lib/types";
import { Checkbox } from "../ui/Form";

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
