import { createSignal } from "solid-js";
import { errorMessage } from "../lib/api";
import { toast } from "./Toast";

export type SubmitOptions = {
  /** Where a failure shows: a toast (the default), or `error()` for the page to render in place. */
  show?: "toast" | "inline";
  /** The sentence for a failure when the page words one itself (a 422 "The password is incorrect"). */
  message?: (e: unknown) => string;
  /** Takes over showing a failure (a page that puts the API's field details on its fields). */
  onError?: (e: unknown) => void;
};

/**
 * The busy state and error of a form or an action button. `run(fn)` ignores a second call while
 * the first of the same key is under way (no double submit), shows the API's error sentence
 * (`errorMessage`) where `show` says, and resolves to fn's result, or undefined when it failed.
 * `busy()` is true while anything runs; `busy(key)` while that key runs (one card, several buttons).
 */
export function createSubmit(opts: SubmitOptions = {}) {
  const [pending, setPending] = createSignal<ReadonlySet<string>>(new Set());
  const [error, setError] = createSignal<string>();

  /** Shows `message` where this form shows its errors (a check before any request). */
  const fail = (message: string) => {
    if (opts.show === "inline") setError(message);
    else toast.error(message);
  };

  async function run<R>(fn: () => Promise<R>, key = "submit"): Promise<R | undefined> {
    if (pending().has(key)) return undefined;
    setPending((s) => new Set(s).add(key));
    setError(undefined);
    try {
      return await fn();
    } catch (e) {
      if (opts.onError) opts.onError(e);
      else fail(opts.message ? opts.message(e) : errorMessage(e));
      return undefined;
    } finally {
      setPending((s) => {
        const next = new Set(s);
        next.delete(key);
        return next;
      });
    }
  }

  /** An onSubmit handler: no page reload, then `run(fn, key)`. */
  const submit = (fn: () => Promise<unknown>, key?: string) => (e: Event) => {
    e.preventDefault();
    void run(fn, key);
  };

  const busy = (key?: string) => (key === undefined ? pending().size > 0 : pending().has(key));

  return { busy, error, setError, fail, run, submit };
}
