import { For, Show } from "solid-js";
import type { Channel, ChannelList, Media } from "../../lib/api/publishing";
import { Button } from "../../ui/Button";
import { TextField } from "../../ui/Form";
import { MediaThumb, networkLabel } from "./shared";

/** The server's limit for an image's alt text. */
export const ALT_TEXT_MAX = 1000;

type Limit = ChannelList["limits"][string];

/** What of the network's media rules a variant breaks, before the server is asked (the server checks again). */
export function mediaProblem(c: Channel, lim: Limit, ids: string[], library: Media[]): string | null {
  const files = ids.map((id) => library.find((m) => m.id === id)).filter((m): m is Media => !!m);
  if (lim.needsMedia && ids.length === 0) return `${networkLabel(c.network)} needs an image or a video`;
  if (ids.length > lim.media) return `${networkLabel(c.network)} posts take at most ${lim.media} images or videos; this has ${ids.length}`;
  if (c.network === "facebook" && ids.length > 1 && files.some((f) => isVideo(f))) return "A Facebook video is posted on its own: remove the other files or make separate posts";
  if (c.network === "instagram" && files.some((f) => !isVideo(f) && f.type !== "image/jpeg")) return "Instagram takes JPEG images (or MP4/MOV videos)";
  return null;
}

const isVideo = (m: Media) => m.type.startsWith("video/");

/** A variant's media: the attached files in order (reorder, remove), the library to pick from, and an upload. */
export function MediaField(props: {
  workspaceId: string;
  channel: Channel;
  limit: Limit;
  library: Media[];
  ids: string[];
  onChange: (ids: string[]) => void;
  /** Alt text per attached image, by media id. */
  altTexts: Record<string, string>;
  onAltText: (id: string, text: string) => void;
  /** The server's problem with an image's alt text, by media id. */
  altError?: (id: string) => string | undefined;
  onUpload: (files: File[]) => void;
  uploading: string | null;
  error?: string;
}) {
  const byId = (id: string) => props.library.find((m) => m.id === id);
  const full = () => props.ids.length >= props.limit.media;
  const move = (i: number, d: -1 | 1) => {
    const next = [...props.ids];
    [next[i], next[i + d]] = [next[i + d]!, next[i]!];
    props.onChange(next);
  };
  const toggle = (id: string) => props.onChange(props.ids.includes(id) ? props.ids.filter((x) => x !== id) : full() ? props.ids : [...props.ids, id]);
  const kind = () => (props.ids.length > 1 ? (props.channel.network === "instagram" ? "Carousel" : "Multi-photo post") : null);
  const label = `media-${props.channel.accountId}`;
  return (
    <fieldset class="media-field" aria-describedby={`${label}-rule`}>
      <legend>Media{props.limit.needsMedia ? " (required)" : " (optional)"}</legend>
      <p id={`${label}-rule`} class="muted media-rule">{props.limit.mediaRule}. <span class="counter">{props.ids.length} / {props.limit.media}</span>{kind() ? ` · ${kind()}` : ""}</p>
      <Show when={props.ids.length > 0}>
        <ol class="media-attached" aria-label={`Attached to ${networkLabel(props.channel.network)}, in order`}>
          <For each={props.ids}>
            {(id, i) => {
              const m = () => byId(id);
              return (
                <li class="media-item">
                  <Show when={m() && !isVideo(m()!)} fallback={<span class="media-thumb image-placeholder video-tile">▶ {m()?.name ?? "video"}</span>}>
                    <MediaThumb workspaceId={props.workspaceId} mediaId={id} alt={`${i() + 1}: ${m()?.name ?? "image"}`} />
                  </Show>
                  <span class="media-item-actions">
                    <Button size="sm" variant="ghost" aria-label={`Move ${m()?.name ?? "item"} earlier`} disabled={i() === 0} onClick={() => move(i(), -1)}>↑</Button>
                    <Button size="sm" variant="ghost" aria-label={`Move ${m()?.name ?? "item"} later`} disabled={i() === props.ids.length - 1} onClick={() => move(i(), 1)}>↓</Button>
                    <Button size="sm" variant="ghost" aria-label={`Remove ${m()?.name ?? "item"}`} onClick={() => props.onChange(props.ids.filter((x) => x !== id))}>✕</Button>
                  </span>
                  <Show when={m() && !isVideo(m()!)}>
                    <TextField class="media-alt" label={`Alt text for image ${i() + 1}`} optional maxLength={ALT_TEXT_MAX} value={props.altTexts[id] ?? ""} onValue={(v) => props.onAltText(id, v)} error={props.altError?.(id)}
                      hint={`What the image shows, for people using screen readers (${(props.altTexts[id] ?? "").length} / ${ALT_TEXT_MAX})`} />
                  </Show>
                </li>
              );
            }}
          </For>
        </ol>
      </Show>
      <details class="media-library" open>
        <summary>Media library ({props.library.length})</summary>
        <div class="media-grid">
          <For each={props.library}>
            {(m) => {
              const on = () => props.ids.includes(m.id);
              return (
                <button type="button" class="media-pick" aria-pressed={on()} disabled={!on() && full()} aria-label={`Use ${m.name}`} onClick={() => toggle(m.id)}>
                  <Show when={!isVideo(m)} fallback={<span class="media-thumb image-placeholder video-tile">▶ {m.name}</span>}>
                    <MediaThumb workspaceId={props.workspaceId} mediaId={m.id} alt={m.name} />
                  </Show>
                </button>
              );
            }}
          </For>
        </div>
      </details>
      <label class="btn btn-secondary btn-sm">
        {props.uploading ?? "Upload images or videos"}
        <input class="sr-only" type="file" multiple accept="image/jpeg,image/png,image/gif,image/webp,video/mp4,video/quicktime" onChange={(e) => props.onUpload([...(e.currentTarget.files ?? [])])} />
      </label>
      <Show when={props.error}><p class="field-error" role="alert">{props.error}</p></Show>
    </fieldset>
  );
}
