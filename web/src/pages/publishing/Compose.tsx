import { A, useNavigate } from "@solidjs/router";
import { createMemo, createResource, createSignal, For, Show } from "solid-js";
import { createStore } from "solid-js/store";
import { errorMessage, isApiError } from "../../lib/api";
import { createPost, listChannels, listMedia, listPosts, uploadMedia, type Channel } from "../../lib/api/publishing";
import { session } from "../../lib/session";
import { Button } from "../../ui/Button";
import { Alert, EmptyState, SkeletonRows } from "../../ui/Feedback";
import { Checkbox, SelectField, TextArea, TextField } from "../../ui/Form";
import { Card, PageHeader } from "../../ui/Layout";
import { createSubmit } from "../../ui/submit";
import { toast } from "../../ui/Toast";
import { listContent } from "../../lib/api/content";
import { MediaField, mediaProblem } from "./MediaField";
import { localParts, MediaThumb, networkLabel, PublishingTabs, zonedToUtc } from "./shared";

type Draft = { text: string; firstComment: string; link: string; mediaIds: string[]; altTexts: Record<string, string>; edited: boolean };
const graphemes = (s: string) => [...s].length;

export default function Compose() {
  const navigate = useNavigate();
  const ws = () => session.workspace()?.id ?? null;
  const [channels] = createResource(ws, (id) => listChannels(id));
  const [media, { refetch: refetchMedia }] = createResource(ws, (id) => listMedia(id));
  const [tz] = createResource(ws, async (id) => (await listPosts(id, "drafts")).timeZone);
  const [content] = createResource(ws, (id) => listContent(id, { kind: "social_post" }));
  const [picked, setPicked] = createSignal<string[]>([]);
  const [main, setMain] = createSignal("");
  const [drafts, setDrafts] = createStore<Record<string, Draft>>({});
  const [when, setWhen] = createSignal("");
  const [contentId, setContentId] = createSignal("");
  const [problems, setProblems] = createSignal<{ path: string; message: string }[]>([]);
  // The API's field details land on the variants' fields; anything else is the form's one line.
  const { busy, run } = createSubmit({
    onError: (e) => setProblems(isApiError(e) && Array.isArray(e.details) ? (e.details as { path: string; message: string }[]) : [{ path: "", message: errorMessage(e) }]),
  });
  const [uploading, setUploading] = createSignal<string | null>(null);

  const chosen = createMemo(() => (channels()?.channels ?? []).filter((c) => picked().includes(c.accountId)));
  const limitOf = (c: Channel) => channels()!.limits[c.network]!;
  const draftOf = (c: Channel): Draft => drafts[c.accountId] ?? { text: main(), firstComment: "", link: "", mediaIds: [], altTexts: {}, edited: false };
  const textOf = (c: Channel) => (draftOf(c).edited ? draftOf(c).text : main());
  const update = (c: Channel, patch: Partial<Draft>) => setDrafts(c.accountId, { ...draftOf(c), ...patch });
  const toggle = (id: string, on: boolean) => setPicked((p) => (on ? [...new Set([...p, id])] : p.filter((x) => x !== id)));

  function useContent(id: string) {
    setContentId(id);
    const item = content()?.find((x) => x.id === id);
    const posts = (item?.body.posts ?? []) as { network: string; text: string; hashtags?: string[] }[];
    const textFor = (network: string) => {
      const p = posts.find((x) => x.network === network) ?? posts[0];
      return p ? [p.text, (p.hashtags ?? []).map((h) => (h.startsWith("#") ? h : `#${h}`)).join(" ")].filter(Boolean).join("\n\n") : "";
    };
    setMain(textFor("facebook"));
    for (const c of channels()?.channels ?? []) setDrafts(c.accountId, { ...draftOf(c), text: textFor(c.network), edited: true });
  }

  /** Uploads the files one by one (progress in the button) and attaches each to the channel, up to its limit. */
  async function onUpload(files: File[], c: Channel) {
    if (!files.length || !ws()) return;
    try {
      for (const [i, file] of files.entries()) {
        setUploading(`Uploading ${i + 1} of ${files.length}…`);
        const m = await uploadMedia(ws()!, file);
        const ids = draftOf(c).mediaIds;
        if (ids.length < limitOf(c).media) update(c, { mediaIds: [...ids, m.id] });
        toast.success(`Uploaded ${m.name}`);
      }
    } catch (e) {
      toast.error(errorMessage(e));
    } finally {
      await refetchMedia();
      setUploading(null);
    }
  }

  async function save(schedule: boolean) {
    if (!ws()) return;
    setProblems([]);
    if (!chosen().length) return setProblems([{ path: "channels", message: "Pick at least one channel" }]);
    if (schedule && !when()) return setProblems([{ path: "scheduledFor", message: "Pick a date and time" }]);
    const local = chosen().flatMap((c, i) => {
      const message = mediaProblem(c, limitOf(c), draftOf(c).mediaIds, media() ?? []);
      return message ? [{ path: `variants.${i}.mediaIds`, message }] : [];
    });
    if (local.length) return setProblems(local);
    await run(async () => {
      const variants = chosen().map((c) => ({ accountId: c.accountId, text: textOf(c), mediaIds: draftOf(c).mediaIds, altTexts: altTextsOf(c), firstComment: draftOf(c).firstComment || null, link: c.network === "facebook" ? draftOf(c).link || null : null }));
      await createPost(ws()!, { variants, ...(schedule ? { scheduledFor: zonedToUtc(when(), tz() ?? "UTC") } : {}), ...(contentId() ? { contentId: contentId() } : {}) });
      toast.success(schedule ? "Post scheduled" : "Draft saved");
      navigate(schedule ? "/content/queue" : "/content/queue?list=drafts");
    });
  }
  /** The alt texts of the files still attached (a removed file's text is not sent). */
  const altTextsOf = (c: Channel) => {
    const { mediaIds, altTexts } = draftOf(c);
    return Object.fromEntries(mediaIds.flatMap((id) => (altTexts[id]?.trim() ? [[id, altTexts[id]!.trim()]] : [])));
  };
  const problemFor = (i: number, field: string) => problems().find((p) => p.path === `variants.${i}.${field}`)?.message;

  return (
    <>
      <PageHeader title="Compose" description="Write once, adjust per channel, and schedule it in the workspace's time zone." actions={<A class="btn btn-secondary btn-md" href="/content">Write with AI</A>} />
      <PublishingTabs />
      <Show when={channels()} fallback={<SkeletonRows rows={3} />}>
        <Show when={channels()!.channels.length > 0} fallback={<EmptyState icon="content" title="No channels yet" action={<A class="btn btn-primary btn-md" href={`/workspaces/${ws()}/integrations`}>Connect Meta</A>}>Connect Facebook and Instagram to publish from QWEB.</EmptyState>}>
          <div class="compose">
            <div class="variant-editor">
              <Card title="Channels">
                <div class="channel-picks">
                  <For each={channels()!.channels}>
                    {(c) => <Checkbox label={`${networkLabel(c.network)} · ${c.name}`} checked={picked().includes(c.accountId)} onChange={(v) => toggle(c.accountId, v)} />}
                  </For>
                </div>
                <Show when={(content() ?? []).length > 0}>
                  <SelectField label="Start from AI content" value={contentId()} onValue={useContent} options={[{ value: "", label: "Write by hand" }, ...(content() ?? []).map((x) => ({ value: x.id, label: x.title }))]} />
                </Show>
                <TextArea label="Post text" rows={5} value={main()} onValue={setMain} hint="Used for every channel until you edit a channel's own text." />
              </Card>
              <For each={chosen()}>
                {(c, i) => {
                  const lim = () => limitOf(c);
                  const n = () => graphemes(textOf(c));
                  return (
                    <Card title={`${networkLabel(c.network)} · ${c.name}`}>
                      <TextArea label={`Text for ${networkLabel(c.network)}`} rows={4} value={textOf(c)} onValue={(v) => update(c, { text: v, edited: true })} error={problemFor(i(), "text")}
                        hint={<span class={`counter${n() > lim().text ? " over" : ""}`}>{n()} / {lim().text} characters</span>} />
                      <TextField label="First comment" optional value={draftOf(c).firstComment} onValue={(v) => update(c, { firstComment: v })} error={problemFor(i(), "firstComment")} />
                      <Show when={lim().links}>
                        <TextField label="Link" type="url" optional value={draftOf(c).link} onValue={(v) => update(c, { link: v })} error={problemFor(i(), "link")} />
                      </Show>
                      <MediaField workspaceId={ws()!} channel={c} limit={lim()} library={media() ?? []} ids={draftOf(c).mediaIds} onChange={(ids) => {
                          update(c, { mediaIds: ids });
                          setProblems((ps) => ps.filter((p) => p.path !== `variants.${i()}.mediaIds`));
                        }}
                        altTexts={draftOf(c).altTexts} onAltText={(id, text) => update(c, { altTexts: { ...draftOf(c).altTexts, [id]: text } })} altError={(id) => problemFor(i(), `altTexts.${id}`)}
                        onUpload={(files) => onUpload(files, c)} uploading={uploading()} error={problemFor(i(), "mediaIds")} />
                    </Card>
                  );
                }}
              </For>
            </div>
            <div class="variant-editor">
              <Card title="Schedule">
                <TextField label={`Date and time (${tz() ?? "UTC"})`} type="datetime-local" value={when()} min={tz() ? `${localParts(Date.now(), tz()!).day}T${localParts(Date.now(), tz()!).time}` : undefined} onValue={setWhen} />
                <Show when={problems().length && !problems().some((p) => p.path.startsWith("variants."))}>
                  <Alert tone="danger">{problems()[0]!.message}</Alert>
                </Show>
                <div class="post-row-actions">
                  <Button variant="primary" loading={busy()} onClick={() => save(true)}>Schedule</Button>
                  <Button loading={busy()} onClick={() => save(false)}>Save draft</Button>
                </div>
              </Card>
              <For each={chosen()}>
                {(c) => (
                  <section class="preview" aria-label={`Preview on ${networkLabel(c.network)}`}>
                    <strong>{c.name}</strong>
                    <Show when={draftOf(c).mediaIds[0]}>
                      <Show when={(media() ?? []).find((m) => m.id === draftOf(c).mediaIds[0])?.type.startsWith("video/")} fallback={<MediaThumb workspaceId={ws()!} mediaId={draftOf(c).mediaIds[0]!} alt={draftOf(c).altTexts[draftOf(c).mediaIds[0]!]?.trim() || "First attached image"} />}>
                        <span class="media-thumb image-placeholder video-tile">▶ Video</span>
                      </Show>
                      <Show when={draftOf(c).mediaIds.length > 1}><small class="muted">{c.network === "instagram" ? "Carousel" : "Multi-photo post"} · {draftOf(c).mediaIds.length} items</small></Show>
                    </Show>
                    <div class="pre">{textOf(c) || <span class="muted">No text yet</span>}</div>
                    <Show when={draftOf(c).link}><small class="muted">{draftOf(c).link}</small></Show>
                    <Show when={draftOf(c).firstComment}><small>💬 {draftOf(c).firstComment}</small></Show>
                  </section>
                )}
              </For>
            </div>
          </div>
        </Show>
      </Show>
    </>
  );
}
