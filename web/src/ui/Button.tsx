import { Show, splitProps, type JSX } from "solid-js";
import { A } from "@solidjs/router";
import { Icon, type IconName } from "./Icon";
import { Spinner } from "./Feedback";

type Variant = "primary" | "secondary" | "ghost" | "danger" | "danger-ghost";
type Size = "sm" | "md" | "lg";

export type ButtonProps = JSX.ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: Variant;
  size?: Size;
  icon?: IconName;
  loading?: boolean;
  block?: boolean;
};

const classes = (p: { variant?: Variant; size?: Size; block?: boolean; class?: string }) =>
  `btn btn-${p.variant ?? "secondary"} btn-${p.size ?? "md"}${p.block ? " btn-block" : ""}${p.class ? ` ${p.class}` : ""}`;

export function Button(props: ButtonProps) {
  const [own, rest] = splitProps(props, ["variant", "size", "icon", "loading", "block", "class", "children", "disabled", "type"]);
  return (
    <button
      {...rest}
      type={own.type ?? "button"}
      class={classes(own)}
      disabled={own.disabled || own.loading}
      aria-busy={own.loading ? "true" : undefined}
    >
      <Show when={own.loading} fallback={own.icon && <Icon name={own.icon} size={own.size === "sm" ? 15 : 17} />}>
        <Spinner size={own.size === "sm" ? 14 : 16} />
      </Show>
      <Show when={own.children}>
        <span>{own.children}</span>
      </Show>
    </button>
  );
}

export function LinkButton(props: { href: string; variant?: Variant; size?: Size; icon?: IconName; block?: boolean; class?: string; children: JSX.Element }) {
  return (
    <A href={props.href} class={classes(props)}>
      {props.icon && <Icon name={props.icon} size={17} />}
      <span>{props.children}</span>
    </A>
  );
}

/** A square icon-only button; `label` is its accessible name and tooltip. */
export function IconButton(props: JSX.ButtonHTMLAttributes<HTMLButtonElement> & { icon: IconName; label: string; variant?: Variant }) {
  const [own, rest] = splitProps(props, ["icon", "label", "variant", "class"]);
  return (
    <button {...rest} type="button" class={`btn btn-icon btn-${own.variant ?? "ghost"} ${own.class ?? ""}`} aria-label={own.label} title={own.label}>
      <Icon name={own.icon} size={17} />
    </button>
  );
}
