import { createEffect, Show, type JSX } from "solid-js";
import { initials } from "../lib/format";

export function PageHeader(props: { title: string; description?: JSX.Element; actions?: JSX.Element; eyebrow?: JSX.Element }) {
  createEffect(() => (document.title = `${props.title} · QWEB`));
  return (
    <header class="page-header">
      <div class="page-header-text">
        {props.eyebrow && <div class="page-eyebrow">{props.eyebrow}</div>}
        <h1>{props.title}</h1>
        <Show when={props.description}>
          <p class="page-description">{props.description}</p>
        </Show>
      </div>
      <Show when={props.actions}>
        <div class="page-actions">{props.actions}</div>
      </Show>
    </header>
  );
}

export function Card(props: { title?: string; description?: JSX.Element; actions?: JSX.Element; children: JSX.Element; class?: string; flush?: boolean; id?: string }) {
  return (
    <section class={`card ${props.class ?? ""}`} classList={{ "card-flush": props.flush }} aria-labelledby={props.title && props.id ? `${props.id}-title` : undefined}>
      <Show when={props.title || props.actions}>
        <div class="card-header">
          <div>
            {props.title && <h2 class="card-title" id={props.id ? `${props.id}-title` : undefined}>{props.title}</h2>}
            {props.description && <p class="card-description">{props.description}</p>}
          </div>
          {props.actions && <div class="card-actions">{props.actions}</div>}
        </div>
      </Show>
      <div class="card-body">{props.children}</div>
    </section>
  );
}

export function Avatar(props: { name: string; size?: "sm" | "md" | "lg" }) {
  const hue = () => [...props.name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 360, 7);
  return (
    <span class={`avatar avatar-${props.size ?? "md"}`} style={{ "--avatar-hue": String(hue()) }} aria-hidden="true">
      {initials(props.name)}
    </span>
  );
}
