import { createResource, onCleanup, Show } from "solid-js";
import { apiBlob } from "../../lib/api";

// The image route needs the bearer token, which an <img src> cannot send: fetch it as a blob.
const objectUrl = async (id: string) => URL.createObjectURL(await apiBlob(`/api/content/${id}/image`));

export function AuthImage(props: { contentId: string; alt: string; class?: string }) {
  const [src] = createResource(() => props.contentId, objectUrl);
  onCleanup(() => {
    const s = src();
    if (s) URL.revokeObjectURL(s);
  });
  return (
    <Show when={src()} fallback={<div class={`image-placeholder ${props.class ?? ""}`} aria-hidden="true" />}>
      <img src={src()} alt={props.alt} class={props.class} />
    </Show>
  );
}
