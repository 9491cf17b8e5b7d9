import { createSignal, createUniqueId, For, Show, splitProps, type JSX } from "solid-js";
import { createStore } from "solid-js/store";
import { ApiError, errorMessage } from "../lib/api";

type Errors<T> = Partial<Record<keyof T | "form", string>>;

/**
 * Form state with client-side checks before submit and the server's field errors after it.
 * `mapError` lets a page put an error without field details (409 email taken, …) on a field.
 */
export function createForm<T extends Record<string, string | boolean>>(opts: {
  initial: T;
  validate?: (v: T) => Partial<Record<keyof T, string | undefined>>;
  mapError?: (e: ApiError) => Errors<T> | undefined;
}) {
  const [values, setValues] = createStore<T>({ ...opts.initial });
  const [errors, setErrors] = createStore<Errors<T>>({});
  const [submitting, setSubmitting] = createSignal(false);
  let formEl: HTMLFormElement | undefined;

  const focusFirstError = () =>
    requestAnimationFrame(() => formEl?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());

  function set<K extends keyof T>(key: K, value: T[K]) {
    setValues(key as never, value as never);
    if (errors[key]) setErrors(key as never, undefined as never);
  }

  function reset(next: Partial<T> = {}) {
    setValues({ ...opts.initial, ...next });
    setErrors((e) => Object.fromEntries(Object.keys(e).map((k) => [k, undefined])) as Errors<T>);
  }

  const submit = (fn: (v: T) => Promise<unknown>) => async (e: SubmitEvent) => {
    e.preventDefault();
    formEl = e.currentTarget as HTMLFormElement;
    if (submitting()) return;
    const clientErrors = Object.fromEntries(Object.entries(opts.validate?.({ ...values }) ?? {}).filter(([, m]) => m));
    setErrors((prev) => ({ ...Object.fromEntries(Object.keys(prev).map((k) => [k, undefined])), ...clientErrors }) as Errors<T>);
    if (Object.keys(clientErrors).length) return focusFirstError();
    setSubmitting(true);
    try {
      await fn({ ...values } as T);
    } catch (err) {
      const mapped: Errors<T> = {};
      if (err instanceof ApiError) {
        Object.assign(mapped, err.fieldErrors(), opts.mapError?.(err) ?? {});
        for (const k of Object.keys(mapped)) if (!(k in opts.initial) && k !== "form") delete mapped[k as keyof T];
      }
      const onFields = Object.keys(mapped).some((k) => k !== "form");
      if (!mapped.form && !onFields) mapped.form = errorMessage(err);
      setErrors(mapped);
      focusFirstError();
    } finally {
      setSubmitting(false);
    }
  };

  return { values, errors, set, setErrors, submitting, submit, reset };
}

type FieldShell = { label: JSX.Element; error?: string; hint?: JSX.Element; id: string; children: JSX.Element; optional?: boolean; labelAction?: JSX.Element };

function Field(props: FieldShell) {
  return (
    <div class="field" classList={{ "field-invalid": !!props.error }}>
      <div class="field-label-row">
        <label for={props.id} class="field-label">
          {props.label}
          {props.optional && <span class="field-optional"> (optional)</span>}
        </label>
        {props.labelAction}
      </div>
      {props.children}
      <Show when={props.error} fallback={props.hint && <p class="field-hint" id={`${props.id}-hint`}>{props.hint}</p>}>
        <p class="field-error" id={`${props.id}-error`}>
          {props.error}
        </p>
      </Show>
    </div>
  );
}

export type TextFieldProps = Omit<JSX.InputHTMLAttributes<HTMLInputElement>, "onInput"> & {
  label: JSX.Element;
  error?: string;
  hint?: JSX.Element;
  optional?: boolean;
  labelAction?: JSX.Element;
  onValue?: (v: string) => void;
};

export function TextField(props: TextFieldProps) {
  const [own, rest] = splitProps(props, ["label", "error", "hint", "optional", "labelAction", "onValue", "id", "class"]);
  const id = own.id ?? createUniqueId();
  return (
    <Field id={id} label={own.label} error={own.error} hint={own.hint} optional={own.optional} labelAction={own.labelAction}>
      <input
        {...rest}
        id={id}
        class={`input ${own.class ?? ""}`}
        aria-invalid={own.error ? "true" : undefined}
        aria-describedby={own.error ? `${id}-error` : own.hint ? `${id}-hint` : undefined}
        onInput={(e) => own.onValue?.(e.currentTarget.value)}
      />
    </Field>
  );
}

export function TextArea(props: Omit<JSX.TextareaHTMLAttributes<HTMLTextAreaElement>, "onInput"> & { label: JSX.Element; error?: string; hint?: JSX.Element; optional?: boolean; onValue?: (v: string) => void }) {
  const [own, rest] = splitProps(props, ["label", "error", "hint", "optional", "onValue", "id"]);
  const id = own.id ?? createUniqueId();
  return (
    <Field id={id} label={own.label} error={own.error} hint={own.hint} optional={own.optional}>
      <textarea
        {...rest}
        id={id}
        class="input textarea"
        aria-invalid={own.error ? "true" : undefined}
        aria-describedby={own.error ? `${id}-error` : own.hint ? `${id}-hint` : undefined}
        onInput={(e) => own.onValue?.(e.currentTarget.value)}
      />
    </Field>
  );
}

export function SelectField(props: Omit<JSX.SelectHTMLAttributes<HTMLSelectElement>, "onChange"> & {
  label: JSX.Element;
  options: { value: string; label: string }[];
  error?: string;
  hint?: JSX.Element;
  onValue?: (v: string) => void;
}) {
  const [own, rest] = splitProps(props, ["label", "options", "error", "hint", "onValue", "id"]);
  const id = own.id ?? createUniqueId();
  return (
    <Field id={id} label={own.label} error={own.error} hint={own.hint}>
      <div class="select-wrap">
        <select
          {...rest}
          id={id}
          class="input select"
          aria-invalid={own.error ? "true" : undefined}
          aria-describedby={own.error ? `${id}-error` : own.hint ? `${id}-hint` : undefined}
          onChange={(e) => own.onValue?.(e.currentTarget.value)}
        >
          <For each={own.options}>{(o) => <option value={o.value}>{o.label}</option>}</For>
        </select>
      </div>
    </Field>
  );
}

export function Checkbox(props: { label: JSX.Element; checked: boolean; onChange: (v: boolean) => void; error?: string; name?: string; id?: string }) {
  const id = props.id ?? createUniqueId();
  return (
    <div class="field" classList={{ "field-invalid": !!props.error }}>
      <div class="checkbox">
        <input
          type="checkbox"
          id={id}
          name={props.name}
          checked={props.checked}
          aria-invalid={props.error ? "true" : undefined}
          aria-describedby={props.error ? `${id}-error` : undefined}
          onChange={(e) => props.onChange(e.currentTarget.checked)}
        />
        <label for={id}>{props.label}</label>
      </div>
      <Show when={props.error}>
        <p class="field-error" id={`${id}-error`}>
          {props.error}
        </p>
      </Show>
    </div>
  );
}

/** Choice between a few options shown as cards (radio group). */
export function RadioCards(props: { legend: string; name: string; value: string; options: { value: string; label: string; description?: string }[]; onValue: (v: string) => void; error?: string }) {
  return (
    <fieldset class="field radio-cards">
      <legend class="field-label">{props.legend}</legend>
      <div class="radio-cards-grid">
        <For each={props.options}>
          {(o) => (
            <label class="radio-card" classList={{ "radio-card-on": props.value === o.value }}>
              <input type="radio" name={props.name} value={o.value} checked={props.value === o.value} onChange={() => props.onValue(o.value)} />
              <span class="radio-card-title">{o.label}</span>
              {o.description && <span class="radio-card-desc">{o.description}</span>}
            </label>
          )}
        </For>
      </div>
      <Show when={props.error}>
        <p class="field-error">{props.error}</p>
      </Show>
    </fieldset>
  );
}

/** The form-level error (not tied to one field), announced as an alert. */
export function FormError(props: { error?: string }) {
  return (
    <Show when={props.error}>
      <div class="alert alert-danger" role="alert">
        <span>{props.error}</span>
      </div>
    </Show>
  );
}
