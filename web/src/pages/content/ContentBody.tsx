import { For, Show } from "solid-js";
import type { ContentItem } from "../../lib/api/content";
import { AuthImage } from "./AuthImage";

const LIMITS: Record<string, number> = { instagram: 2200, facebook: 2000, linkedin: 3000, x: 280, tiktok: 2200 };

/** One generated item, readable: posts per network with their length, ad fields, email sections, plan weeks, findings. */
export function ContentBody(props: { item: Pick<ContentItem, "id" | "kind" | "body" | "hasImage"> }) {
  const b = () => props.item.body as Record<string, any>;
  return (
    <div class="content-body">
      <Show when={props.item.kind === "social_post"}>
        <For each={b().posts ?? []}>
          {(p: any) => (
            <div class="post">
              <div class="post-head">
                <strong>{p.network}</strong>
                <small class="muted">{p.text.length} / {LIMITS[p.network] ?? "—"} characters</small>
              </div>
              <p class="pre">{p.text}</p>
              <small class="muted">{(p.hashtags ?? []).join(" ")}</small>
            </div>
          )}
        </For>
      </Show>
      <Show when={props.item.kind === "ad_copy"}>
        <h4>Meta</h4>
        <p class="pre">{b().meta?.primaryText}</p>
        <p><strong>{b().meta?.headline}</strong> · {b().meta?.description}</p>
        <h4>Google search</h4>
        <ul><For each={b().google?.headlines ?? []}>{(h: string) => <li>{h}</li>}</For></ul>
        <ul class="muted"><For each={b().google?.descriptions ?? []}>{(d: string) => <li>{d}</li>}</For></ul>
      </Show>
      <Show when={props.item.kind === "email_campaign"}>
        <p><strong>Subject lines</strong></p>
        <ol><For each={b().subjectLines ?? []}>{(s: string) => <li>{s}</li>}</For></ol>
        <p class="muted">Preheader: {b().preheader}</p>
        <For each={b().sections ?? []}>{(s: any) => (<><h4>{s.heading}</h4><p class="pre">{s.body}</p></>)}</For>
        <p><span class="btn btn-secondary btn-sm">{b().cta?.label}</span></p>
      </Show>
      <Show when={props.item.kind === "image"}>
        <Show when={props.item.hasImage}>
          <AuthImage contentId={props.item.id} alt={b().altText ?? b().headline ?? "Generated image"} class="content-image" />
        </Show>
        <p><strong>{b().headline}</strong> — {b().tagline}</p>
      </Show>
      <Show when={props.item.kind === "strategy"}>
        <p class="pre">{b().summary}</p>
        <p><strong>Themes:</strong> {(b().themes ?? []).join(" · ")}</p>
        <For each={b().weeks ?? []}>
          {(w: any) => (
            <div class="post">
              <strong>Week {w.week}: {w.focus}</strong>
              <ul><For each={w.posts}>{(p: any) => <li>{p.day} · {p.network}: {p.idea}</li>}</For></ul>
            </div>
          )}
        </For>
        <Show when={(b().tasks ?? []).length > 0}>
          <p><strong>Tasks</strong></p>
          <ul><For each={b().tasks}>{(t: string) => <li>{t}</li>}</For></ul>
        </Show>
      </Show>
      <Show when={props.item.kind === "insight"}>
        <p class="pre">{b().summary}</p>
        <For each={b().findings ?? []}>{(f: any) => <p><strong>{f.title}</strong> <span class="badge badge-neutral">{f.figure}</span><br />{f.detail}</p>}</For>
        <p><strong>Recommendations</strong></p>
        <ul><For each={b().recommendations ?? []}>{(r: string) => <li>{r}</li>}</For></ul>
        <details><summary>Figures used</summary><ul><For each={b().figuresUsed ?? []}>{(f: any) => <li>{f.name}: {f.value}</li>}</For></ul></details>
      </Show>
    </div>
  );
}
