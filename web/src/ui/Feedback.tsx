import { Show, type JSX } from "solid-js";
import { Icon, type IconName } from "./Icon";

export function Spinner(props: { size?: number; label?: string }) {
  return (
    <span class="spinner" style={{ width: `${props.size ?? 18}px`, height: `${props.size ?? 18}px` }} role={props.label ? "status" : undefined} aria-label={props.label} />
  );
}

/** A full-area loading state with a visible and announced label. */
export function Loading(props: { label?: string }) {
  return (
    <div class="loading" role="status" aria-live="polite">
      <Spinner size={22} />
      <span>{props.label ?? "Loading…"}</span>
    </div>
  );
}

/** Placeholder rows shown while a table loads. */
export function SkeletonRows(props: { rows?: number; cols?: number }) {
  return (
    <div class="skeleton-block" aria-hidden="true">
      {Array.from({ length: props.rows ?? 4 }, () => (
        <div class="skeleton-row">
          {Array.from({ length: props.cols ?? 3 }, (_, i) => (
            <span class="skeleton" style={{ width: `${[38, 24, 18, 14][i % 4]}%` }} />
          ))}
        </div>
      ))}
    </div>
  );
}

export function EmptyState(props: { icon?: IconName; title: string; children?: JSX.Element; action?: JSX.Element }) {
  return (
    <div class="empty">
      <div class="empty-icon">
        <Icon name={props.icon ?? "layers"} size={24} />
      </div>
      <h3>{props.title}</h3>
      <Show when={props.children}>
        <p>{props.children}</p>
      </Show>
      <Show when={props.action}>
        <div class="empty-action">{props.action}</div>
      </Show>
    </div>
  );
}

type Tone = "neutral" | "brand" | "success" | "warning" | "danger" | "info";

export function Badge(props: { tone?: Tone; children: JSX.Element; dot?: boolean }) {
  return (
    <span class={`badge badge-${props.tone ?? "neutral"}`}>
      {props.dot && <span class="badge-dot" aria-hidden="true" />}
      {props.children}
    </span>
  );
}

const roleTones: Record<string, Tone> = { owner: "brand", admin: "info", "org-admin": "brand", member: "neutral", editor: "success", viewer: "neutral", portal: "warning" };
const roleNames: Record<string, string> = { owner: "Owner", admin: "Admin", member: "Member", viewer: "Viewer", editor: "Editor", "org-admin": "Org admin", portal: "Client portal" };
export function RoleBadge(props: { role: string }) {
  return <Badge tone={roleTones[props.role] ?? "neutral"}>{roleNames[props.role] ?? props.role}</Badge>;
}

/** An inline message box; errors are announced as alerts. */
export function Alert(props: { tone?: "danger" | "success" | "info" | "warning"; title?: string; children: JSX.Element }) {
  const tone = () => props.tone ?? "info";
  const icon = (): IconName => (tone() === "success" ? "check" : tone() === "info" ? "info" : "alert");
  return (
    <div class={`alert alert-${tone()}`} role={tone() === "danger" ? "alert" : "status"}>
      <Icon name={icon()} size={18} />
      <div>
        {props.title && <strong>{props.title}</strong>}
        <div>{props.children}</div>
      </div>
    </div>
  );
}
