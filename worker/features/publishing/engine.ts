// Publishes one channel variant exactly once. Each provider write is a step: its marker is stored
// before the call and its result the moment the provider answers, so a try that died anywhere
// (lost answer, killed isolate, redelivered alarm) resumes: it first looks at the provider for
// what the earlier try created (Graph has no idempotency keys), and only then writes.
import { and, eq, inArray, lt, lte, or, sql } from "drizzle-orm";
import type { Ctx } from "../../core/context";
import { ProviderError } from "../../connectors/http";
import { pageToken } from "../../connectors/meta/social";
import {
  absoluteFacebookUrl, containerStatus, createCarouselContainer, createCarouselItem, createComment, createContainer, createPagePost, createPageVideo, DUPLICATE_POST, findComment, findMedia, findPagePost,
  findPageVideo, GraphWriteError, igQuota, permalinkOf, publishContainer, uploadUnpublishedPhoto, type ContainerStatus,
} from "../../connectors/meta/publish";
import { actions, publishMedia, publishVariants } from "../../db/schema";
import type { PostStatus } from "../../db/schema/publishing";
import { newId } from "../../lib/ids";
import { inChunks } from "../../db/chunk";
import { settleActions } from "../actions";
import { outcomeColumns, outcomeOf } from "./executor";
import { openContext } from "../integrations";
import { acquireSlots, pauseApp, releaseSlots, UsageSignals } from "./gate";
import { isVideo, signedMediaUrl } from "./media";

type Variant = typeof publishVariants.$inferSelect;
export const MAX_ATTEMPTS = 5;
/** A `publishing` row not touched for this long belongs to a try that died: another may take it. */
export const LEASE_MS = 2 * 60_000;
const POLL_MS = 400;
/** An alarm may fire a hair before its time (clock granularity): what is due within this is due. */
const EARLY_MS = 1000;
const POLLS_PER_TRY = 8;

export type Outcome = "published" | "failed" | "deferred" | "skipped";

/** Stops the try and puts the variant back in the queue at `at` (IG's daily limit, container still processing). */
class Defer extends Error {
  constructor(message: string, readonly at: number) {
    super(message);
  }
}
class Permanent extends Error {}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Fields a retry never reads to decide what to do (the permalink; the container and publish step
 * times, since Instagram's status_code says where a container stands) are not worth a D1 round
 * trip of their own: they are kept here and written with the variant's next write (at the latest
 * its outcome). What a retry does read (a provider id, a container id, the Page post and comment
 * markers) is written the moment it happens.
 */
const later = new WeakMap<Variant, Partial<Variant>>();
/**
 * The Page post's marker rides along too: a try that died before writing its outcome left the
 * variant claimed with its attempt counted, so the next try (attempts > 1) looks for the post on
 * the Page before writing, marker or not (mayHavePosted).
 */
const LATER_STEPS = new Set(["container", "publish", "post"]);

/**
 * The per-post writes (a variant's fields, its post's status) are D1 statements of their own, not
 * Drizzle builders: building an UPDATE through Drizzle (its SQL chunks, entity checks and casing)
 * was the largest single cost in a CPU profile of the publishing benchmark's Worker isolate (about
 * a sixth of its busy time), for statements whose text comes from a handful of shapes. Each shape's
 * text is made once per isolate; values go through the column's own driver mapping (JSON columns).
 */
type Batchable = D1PreparedStatement;
const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const updateTexts = new Map<string, string>();
function variantUpdate(ctx: Ctx, id: string, set: Partial<Variant>): D1PreparedStatement {
  const keys = Object.keys(set).filter((k) => k !== "updatedAt" && (set as Record<string, unknown>)[k] !== undefined) as (keyof Variant & keyof typeof publishVariants)[];
  const shape = keys.join(",");
  let text = updateTexts.get(shape);
  if (!text) {
    const cols = [...keys, "updatedAt"].map((k, i) => `"${snake(k)}" = ?${i + 1}`);
    text = `UPDATE "publish_variants" SET ${cols.join(", ")} WHERE "id" = ?${keys.length + 2}`;
    updateTexts.set(shape, text);
  }
  const values = keys.map((k) => (set[k] === null ? null : (publishVariants[k] as { mapToDriverValue(v: unknown): unknown }).mapToDriverValue(set[k])));
  return ctx.env.DB.prepare(text).bind(...values, Date.now(), id);
}

/**
 * A run's variant writes, committed together. A write a retry depends on (a provider id, a
 * container id) waits until the D1 batch carrying it is done, so it is stored before the next
 * provider call; a variant's outcome (its status once Meta has answered for good, or its next due
 * time) only waits for the next batch (at the latest DEFER_MS, or the run's drain before it settles
 * the actions): a try that dies before left the variant `publishing` with its provider id stored,
 * and the try that takes it over resumes from there. The writes that arrive while a batch is in
 * flight go in the next, so a run's posts in flight share round trips (D1's per-call and
 * per-statement cost is most of a post's), and the posts of one batch get their status in one UPDATE.
 */
export class RunWrites {
  private queue: { stmts: Batchable[]; postId?: string; done: (err?: unknown) => void }[] = [];
  private pending = new Set<Promise<void>>();
  private busy = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  constructor(private readonly ctx: Ctx) {}

  /** `postId`: the post's status follows its variants after these statements. */
  write(stmts: Batchable[], opts: { postId?: string; defer?: boolean } = {}): Promise<void> {
    const p = new Promise<void>((resolve, reject) => {
      this.queue.push({ stmts, postId: opts.postId, done: (err) => (err === undefined ? resolve() : reject(err)) });
    });
    this.pending.add(p);
    const forget = () => this.pending.delete(p);
    p.then(forget, forget);
    if (!opts.defer) this.kick();
    else if (!this.timer) this.timer = setTimeout(() => ((this.timer = null), this.kick()), DEFER_MS);
    return p;
  }

  /** Every write so far is stored (the first failure is thrown). */
  async drain(): Promise<void> {
    this.kick();
    const results = await Promise.allSettled([...this.pending]);
    const failed = results.find((r) => r.status === "rejected");
    if (failed) throw failed.reason;
  }

  private kick() {
    if (!this.busy && this.queue.length) void this.flush();
  }

  private async flush() {
    this.busy = true;
    while (this.queue.length) {
      const items = this.queue.splice(0);
      const posts = [...new Set(items.flatMap((i) => (i.postId ? [i.postId] : [])))];
      const stmts = [...items.flatMap((i) => i.stmts), ...(posts.length ? [postStatusStatement(this.ctx, posts)] : [])];
      try {
        await this.ctx.env.DB.batch(stmts);
        for (const i of items) i.done();
      } catch (err) {
        for (const i of items) i.done(err ?? new Error("D1 batch failed"));
      }
    }
    this.busy = false;
  }
}
/** How long a variant's outcome may wait for a batch to join. */
const DEFER_MS = 250;
/** The run whose writer carries this variant's writes (publishDue); a lone try writes on its own. */
const runWrites = new WeakMap<Variant, RunWrites>();
const write = (ctx: Ctx, v: Variant, stmts: Batchable[], postStatus = false, defer = false) => {
  const w = runWrites.get(v);
  if (w) {
    const stored = w.write(stmts, { postId: postStatus ? v.postId : undefined, defer });
    // A deferred write's failure is thrown by the run's drain, before it settles the actions.
    if (defer) return void stored.catch(() => undefined);
    return stored;
  }
  return ctx.env.DB.batch([...stmts, ...(postStatus ? [postStatusStatement(ctx, [v.postId])] : [])]).then(() => undefined);
};

/**
 * Fields a retry finds again at the provider when they were never stored: the permalink, and the
 * provider's post id (a try that died before its outcome left the variant claimed with its attempt
 * counted, so the next one looks on the Page (mayHavePosted) or finds its container PUBLISHED and
 * looks among the account's media before it writes). They ride with the variant's next write: the
 * first comment's marker, or at the latest its outcome.
 */
const CARRIED = new Set<string>(["permalink", "providerPostId"]);

async function patch(ctx: Ctx, v: Variant, set: Partial<Variant>) {
  Object.assign(v, set);
  if (Object.keys(set).every((k) => CARRIED.has(k))) {
    later.set(v, { ...later.get(v), ...set });
    return;
  }
  const carried = later.get(v);
  later.delete(v);
  await write(ctx, v, [variantUpdate(ctx, v.id, { ...carried, ...set })]);
}
const begin = (ctx: Ctx, v: Variant, step: string) => {
  const steps = { ...v.steps, [step]: Date.now() };
  if (!LATER_STEPS.has(step)) return patch(ctx, v, { steps });
  v.steps = steps;
  later.set(v, { ...later.get(v), steps });
  return Promise.resolve();
};

/**
 * A variant is the Publisher's to publish only while its post's publish action is approved and not
 * finished: the action hands the post over when it is approved (executor handoff), so a post whose
 * action was cancelled, rejected or replaced since publishes nothing, due time or not.
 */
const actionOpen = sql`exists (select 1 from ${actions} where ${actions.workspaceId} = ${publishVariants.workspaceId} and ${actions.subjectType} = 'post' and ${actions.subjectId} = ${publishVariants.postId} and ${actions.kind} = 'publish_post' and ${actions.state} in ('approved', 'scheduled', 'running'))`;

/** What a try may take at `now`: scheduled and due, or a dead try's lease, while its post's action is open. */
const dueOf = (now: number) =>
  and(or(and(eq(publishVariants.status, "scheduled"), lte(publishVariants.dueAt, now + EARLY_MS)), and(eq(publishVariants.status, "publishing"), lt(publishVariants.updatedAt, now - LEASE_MS))), actionOpen);

/** Takes a due variant for this try (scheduled and due, or a dead try's lease): null when another has it. */
async function claim(ctx: Ctx, id: string, now: number): Promise<Variant | null> {
  const [row] = await ctx.db.update(publishVariants)
    .set({ status: "publishing", attemptId: sql`coalesce(${publishVariants.attemptId}, ${newId()})`, startedAt: sql`coalesce(${publishVariants.startedAt}, ${now})`, attempts: sql`${publishVariants.attempts} + 1`, updatedAt: now })
    .where(and(eq(publishVariants.id, id), dueOf(now)))
    .returning();
  return row ?? null;
}

type MediaFile = { url: string; video: boolean; altText: string | null };
type MediaRow = typeof publishMedia.$inferSelect;

/** A run's library rows of the variants it claimed, read in one query for all of them (publishDue). */
const runMedia = new WeakMap<Variant, Map<string, MediaRow>>();

async function loadRunMedia(ctx: Ctx, workspaceId: string, claimed: Variant[]) {
  const ids = [...new Set(claimed.flatMap((v) => v.mediaIds))];
  const byId = new Map<string, MediaRow>();
  for (const part of inChunks(ids, 1)) for (const m of await ctx.db.select().from(publishMedia).where(and(eq(publishMedia.workspaceId, workspaceId), inArray(publishMedia.id, part)))) byId.set(m.id, m);
  for (const v of claimed) runMedia.set(v, byId);
}

/** The variant's files in their order, each behind a fresh signed URL (at most 10: one query, or none when its run read them). */
async function mediaFiles(ctx: Ctx, v: Variant): Promise<MediaFile[]> {
  if (!v.mediaIds.length) return [];
  const known = runMedia.get(v);
  const byId = known && v.mediaIds.every((id) => known.has(id))
    ? known
    : new Map((await ctx.db.select().from(publishMedia).where(and(inArray(publishMedia.id, v.mediaIds), eq(publishMedia.workspaceId, v.workspaceId)))).map((m) => [m.id, m]));
  return Promise.all(v.mediaIds.map(async (id) => {
    const m = byId.get(id);
    if (!m) throw new Permanent("The post's media was deleted from the library");
    return { url: await signedMediaUrl(ctx, m.id), video: isVideo(m.type), altText: isVideo(m.type) ? null : (v.altTexts?.[id] ?? null) };
  }));
}

async function mediaUrls(ctx: Ctx, v: Variant) {
  const [f] = await mediaFiles(ctx, v);
  if (!f) return { image: null, video: null, altText: null };
  return f.video ? { image: null, video: f.url, altText: null } : { image: f.url, video: null, altText: f.altText };
}

/** Records one item's provider id the moment it answers (the array is index-aligned with mediaIds). */
const setPart = (ctx: Ctx, v: Variant, i: number, id: string | null) => {
  const parts = Array.from({ length: v.mediaIds.length }, (_, k) => v.partIds[k] ?? null);
  parts[i] = id;
  return patch(ctx, v, { partIds: parts });
};

/** An earlier try may have created the Page post: it marked the step, or it was claimed and never wrote its outcome (its attempt still counted). */
const mayHavePosted = (v: Variant) => Boolean(v.steps.post) || v.attempts > 1;

const captionOf = (v: Variant) => (v.link && v.network === "facebook" ? v.text : v.text);

async function publishFacebook(ctx: Ctx, v: Variant, rt: any, secrets: any) {
  const token = await pageToken(rt, secrets, v.accountId);
  const since = v.startedAt ?? Date.now();
  const files = await mediaFiles(ctx, v);
  if (files.length === 1 && files[0]!.video) return publishFacebookVideo(ctx, v, rt, token, files[0]!.url, since);
  if (!v.providerPostId && mayHavePosted(v)) {
    const found = await findPagePost(rt, token, v.accountId, captionOf(v), since);
    if (found) await patch(ctx, v, { providerPostId: found.id, permalink: found.permalink_url ?? null });
  }
  if (!v.providerPostId) {
    // Several photos: each uploaded unpublished (its id recorded as it answers), then one feed post
    // attaching them. A lost upload answer leaves an unpublished photo nobody sees; it is uploaded again.
    const attached: string[] = [];
    if (files.length > 1) {
      for (const [i, f] of files.entries()) {
        if (!v.partIds[i]) await setPart(ctx, v, i, await uploadUnpublishedPhoto(rt, token, v.accountId, f.url, f.altText));
        attached.push(v.partIds[i]!);
      }
    }
    await begin(ctx, v, "post");
    try {
      const { id } = await createPagePost(rt, token, { pageId: v.accountId, message: captionOf(v), link: v.link, imageUrl: files.length === 1 ? files[0]!.url : null, altText: files.length === 1 ? files[0]!.altText : null, attachedMedia: attached });
      await patch(ctx, v, { providerPostId: id });
    } catch (err) {
      if (!(err instanceof GraphWriteError && err.code === DUPLICATE_POST)) throw err;
      // Ours from a try whose answer was lost, or someone else's identical post: Meta refuses a repeat.
      const found = await findPagePost(rt, token, v.accountId, captionOf(v), since);
      if (!found) throw new Permanent("Meta refused this as a duplicate of a recent post on the Page (#506): change the text and retry");
      await patch(ctx, v, { providerPostId: found.id, permalink: found.permalink_url ?? null });
    }
  }
  if (!v.permalink) await patch(ctx, v, { permalink: await permalinkOf(rt, token, v.providerPostId!, "permalink_url").catch(() => `https://www.facebook.com/${v.providerPostId}`) });
  await firstComment(ctx, v, rt, token);
}

/** A Page video: POST /{page-id}/videos with file_url (Meta fetches the signed URL); a lost answer is found among the Page's videos. */
async function publishFacebookVideo(ctx: Ctx, v: Variant, rt: any, token: string, url: string, since: number) {
  if (!v.providerPostId && mayHavePosted(v)) {
    const found = await findPageVideo(rt, token, v.accountId, v.text, since);
    if (found) await patch(ctx, v, { providerPostId: found.id, permalink: found.permalink_url ? absoluteFacebookUrl(found.permalink_url) : null });
  }
  if (!v.providerPostId) {
    await begin(ctx, v, "post");
    await patch(ctx, v, { providerPostId: await createPageVideo(rt, token, v.accountId, url, v.text) });
  }
  if (!v.permalink) {
    const link = await permalinkOf(rt, token, v.providerPostId!, "permalink_url").catch(() => null);
    await patch(ctx, v, { permalink: link ? absoluteFacebookUrl(link) : `https://www.facebook.com/watch/?v=${v.providerPostId}` });
  }
  await firstComment(ctx, v, rt, token);
}

/** Polls containers until none is IN_PROGRESS (or this try's polls run out); their last status codes. */
async function pollContainers(rt: any, token: string, ids: string[]): Promise<{ code: ContainerStatus; status: string | null }[]> {
  let out = await Promise.all(ids.map((id) => containerStatus(rt, token, id)));
  for (let i = 0; out.some((s) => s.code === "IN_PROGRESS") && i < POLLS_PER_TRY; i++) {
    await sleep(POLL_MS);
    out = await Promise.all(ids.map((id, k) => (out[k]!.code === "IN_PROGRESS" ? containerStatus(rt, token, id) : out[k]!)));
  }
  return out;
}

/**
 * A carousel's parent container, made once: a child container per item (each id recorded the
 * moment Meta answers, so a retry creates only the missing ones), every child polled to FINISHED
 * (videos take a while: the try defers and the next one polls the same children), then the parent.
 */
async function carouselContainer(ctx: Ctx, v: Variant, rt: any, token: string, caption: string): Promise<string> {
  const files = await mediaFiles(ctx, v);
  for (let round = 0; round < 2; round++) {
    for (const [i, f] of files.entries()) {
      if (!v.partIds[i]) await setPart(ctx, v, i, await createCarouselItem(rt, token, { igId: v.accountId, imageUrl: f.video ? null : f.url, videoUrl: f.video ? f.url : null, altText: f.altText }));
    }
    const children = files.map((_, i) => v.partIds[i]!);
    const statuses = await pollContainers(rt, token, children);
    const failed = statuses.findIndex((s) => s.code === "ERROR");
    if (failed >= 0) {
      // A child in ERROR is never published: forget those, so a person's retry (after fixing the file) makes new ones.
      for (const [i, st] of statuses.entries()) if (st.code === "ERROR") await setPart(ctx, v, i, null);
      throw new Permanent(`Instagram could not process carousel item ${failed + 1}: ${statuses[failed]!.status ?? "ERROR"}`);
    }
    if (statuses.some((s) => s.code === "IN_PROGRESS")) throw new Defer("Instagram is still processing the carousel's media", Date.now() + 30_000);
    const expired = statuses.map((s, i) => (s.code === "FINISHED" ? -1 : i)).filter((i) => i >= 0);
    if (expired.length) {
      for (const i of expired) await setPart(ctx, v, i, null);
      continue;
    }
    await begin(ctx, v, "container");
    return createCarouselContainer(rt, token, { igId: v.accountId, caption, children });
  }
  throw new ProviderError("transient", "meta: the carousel's item containers expired twice", { provider: "meta" });
}

/**
 * Instagram's 24-hour publishing quota, read once per run and account (the runtime is the run's):
 * each variant of the run that passes the check counts against it at once, so the run's
 * concurrent posts cannot together pass a quota one read said had room for only some of them.
 */
const runQuotas = new WeakMap<object, Map<string, Promise<{ usage: number; total: number }>>>();
async function takeQuota(rt: any, token: string, igId: string): Promise<{ usage: number; total: number; ok: boolean }> {
  let byAccount = runQuotas.get(rt);
  if (!byAccount) runQuotas.set(rt, (byAccount = new Map()));
  let q = byAccount.get(igId);
  if (!q) {
    q = igQuota(rt, token, igId);
    byAccount.set(igId, q);
    q.catch(() => byAccount.delete(igId));
  }
  const quota = await q;
  if (quota.usage >= quota.total) return { ...quota, ok: false };
  quota.usage++;
  return { ...quota, ok: true };
}

async function publishInstagram(ctx: Ctx, v: Variant, rt: any, secrets: any) {
  const token = secrets.accessToken as string;
  const since = v.startedAt ?? Date.now();
  const caption = v.text;
  for (let round = 0; !v.providerPostId && round < 2; round++) {
    if (!v.containerId) {
      const quota = await takeQuota(rt, token, v.accountId);
      if (!quota.ok) throw new Defer(`Instagram allows ${quota.total} posts per 24 hours and this account has reached it; QWEB tries again in an hour`, Date.now() + 60 * 60_000);
      if (v.mediaIds.length > 1) await patch(ctx, v, { containerId: await carouselContainer(ctx, v, rt, token, caption) });
      else {
        const { image, video, altText } = await mediaUrls(ctx, v);
        await begin(ctx, v, "container");
        await patch(ctx, v, { containerId: await createContainer(rt, token, { igId: v.accountId, caption, imageUrl: image, videoUrl: video, altText }) });
      }
    }
    let status = await containerStatus(rt, token, v.containerId!);
    for (let i = 0; status.code === "IN_PROGRESS" && i < POLLS_PER_TRY; i++) {
      await sleep(POLL_MS);
      status = await containerStatus(rt, token, v.containerId!);
    }
    if (status.code === "IN_PROGRESS") throw new Defer("Instagram is still processing the media", Date.now() + 30_000);
    if (status.code === "ERROR") throw new Permanent(`Instagram could not process the media: ${status.status ?? "ERROR"}`);
    if (status.code === "EXPIRED") {
      // Containers live 24 h; a carousel's children went with its parent.
      await patch(ctx, v, { containerId: null, partIds: [] });
      continue;
    }
    if (status.code === "PUBLISHED") {
      const found = await findMedia(rt, token, v.accountId, caption, since);
      if (!found) throw new Permanent("Instagram says the container is published but its media is not on the account");
      await patch(ctx, v, { providerPostId: found.id, permalink: found.permalink ?? null });
      break;
    }
    await begin(ctx, v, "publish");
    try {
      await patch(ctx, v, { providerPostId: await publishContainer(rt, token, v.accountId, v.containerId!) });
    } catch (err) {
      if (err instanceof GraphWriteError && err.code === 9 && err.subcode === 2207042) {
        throw new Defer("Instagram allows 50 posts per 24 hours and this account has reached it; QWEB tries again in an hour", Date.now() + 60 * 60_000);
      }
      throw err;
    }
  }
  if (!v.providerPostId) throw new ProviderError("transient", "meta: the Instagram container expired twice", { provider: "meta" });
  if (!v.permalink) await patch(ctx, v, { permalink: await permalinkOf(rt, token, v.providerPostId, "permalink").catch(() => null) });
  await firstComment(ctx, v, rt, token);
}

async function firstComment(ctx: Ctx, v: Variant, rt: any, token: string) {
  if (!v.firstComment || v.commentId) return;
  if (v.steps.comment) {
    const found = await findComment(rt, token, v.providerPostId!, v.firstComment);
    if (found) return patch(ctx, v, { commentId: found });
  }
  await begin(ctx, v, "comment");
  const { id } = await createComment(rt, token, v.providerPostId!, v.firstComment);
  await patch(ctx, v, { commentId: id });
}

const backoff = (attempts: number) => Math.min(15 * 60_000, 30_000 * 2 ** Math.max(0, attempts - 1));

type Opened = Awaited<ReturnType<typeof openContext>>;
/** A run's opened connections by integration id (one read and decrypt per run, not per post), and what Meta said of its limits. */
export type RunCache = Map<string, Promise<Opened>> & { signals?: UsageSignals };

async function open(ctx: Ctx, integrationId: string, signals?: UsageSignals): Promise<Opened> {
  const sc = await openContext(ctx.env, integrationId);
  return sc && signals ? { ...sc, rt: signals.observe(sc.rt) } : sc;
}

function opened(ctx: Ctx, cache: RunCache | undefined, integrationId: string): Promise<Opened> {
  if (!cache) return open(ctx, integrationId);
  let hit = cache.get(integrationId);
  if (!hit) {
    hit = open(ctx, integrationId, cache.signals);
    cache.set(integrationId, hit);
  }
  return hit;
}

/** One try of one variant; the outcome is stored on the row (status, error, next due time). */
export async function publishVariant(ctx: Ctx, id: string, cache?: RunCache): Promise<Outcome> {
  const v = await claim(ctx, id, Date.now());
  if (!v) return "skipped";
  return publishClaimed(ctx, v, cache);
}

async function publishClaimed(ctx: Ctx, v: Variant, cache?: RunCache): Promise<Outcome> {
  let outcome: Outcome;
  let done: Partial<Variant>;
  try {
    const sc = await opened(ctx, cache, v.integrationId);
    if (!sc || sc.integration.orgId !== v.orgId) throw new Permanent("The Meta connection of this channel was disconnected");
    if (sc.unreadable) throw new Permanent(sc.unreadable);
    if (v.network === "facebook") await publishFacebook(ctx, v, sc.rt, sc.secrets);
    else await publishInstagram(ctx, v, sc.rt, sc.secrets);
    done = { status: "published", publishedAt: v.publishedAt ?? Date.now(), error: null, dueAt: null };
    outcome = "published";
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof Defer) {
      done = { status: "scheduled", dueAt: err.at, error: message, attempts: Math.max(0, v.attempts - 1) };
      outcome = "deferred";
    } else if (err instanceof ProviderError && err.kind === "rate-limited") {
      // Meta asked to wait: not the post's fault, so it costs no attempt; it goes again when Meta said.
      done = { status: "scheduled", dueAt: Date.now() + (err.opts.retryAfterMs ?? backoff(v.attempts)), error: message, attempts: Math.max(0, v.attempts - 1) };
      outcome = "deferred";
    } else if (err instanceof ProviderError && err.kind === "transient" && v.attempts < MAX_ATTEMPTS) {
      done = { status: "scheduled", dueAt: Date.now() + (err.opts.retryAfterMs ?? backoff(v.attempts)), error: message };
      outcome = "deferred";
    } else {
      const reason = err instanceof ProviderError && err.kind === "unauthorized" ? `Meta rejected the connection's token: reconnect Meta (${message})` : message;
      done = { status: "failed", error: reason, dueAt: null };
      outcome = "failed";
    }
  }
  // The variant's outcome and its post's status in one D1 round trip.
  const carried = later.get(v);
  later.delete(v);
  Object.assign(v, done);
  const final = [variantUpdate(ctx, v.id, { ...carried, ...done })];
  // In a run the outcome joins a later batch (the run drains before it settles); a lone try stores it now.
  await write(ctx, v, final, true, true);
  return outcome;
}

export function postStatusOf(statuses: string[]): PostStatus {
  const has = (s: string) => statuses.includes(s);
  if (!statuses.length) return "draft";
  if (statuses.every((s) => s === "published")) return "published";
  if (statuses.every((s) => s === "cancelled")) return "cancelled";
  if (has("publishing")) return "publishing";
  if (has("scheduled")) return "scheduled";
  if (has("failed")) return has("published") ? "partial" : "failed";
  if (has("published")) return "published";
  return "draft";
}

export async function refreshPostStatus(ctx: Ctx, postId: string) {
  await postStatusStatement(ctx, [postId]).run();
}

/**
 * postStatusOf in SQL over each post's variants, as one UPDATE of the posts (so it can join the
 * batch that changes their variants): one pass over each post's variants (by the post index)
 * instead of a subquery per status, and the ids as one JSON parameter, so the statement's text is
 * the same for any number of posts (prepared once, not once per list length).
 */
const POST_STATUS = `UPDATE "publish_posts" SET "status" = (select case
    when count(*) = 0 then 'draft'
    when sum(v."status" = 'published') = count(*) then 'published'
    when sum(v."status" = 'cancelled') = count(*) then 'cancelled'
    when sum(v."status" = 'publishing') > 0 then 'publishing'
    when sum(v."status" = 'scheduled') > 0 then 'scheduled'
    when sum(v."status" = 'failed') > 0 then case when sum(v."status" = 'published') > 0 then 'partial' else 'failed' end
    when sum(v."status" = 'published') > 0 then 'published'
    else 'draft' end
  from "publish_variants" v where v."post_id" = "publish_posts"."id"), "updated_at" = ?1
  WHERE "id" IN (select value from json_each(?2))`;

const postStatusStatement = (ctx: Ctx, postIds: string[]) => ctx.env.DB.prepare(POST_STATUS).bind(Date.now(), JSON.stringify(postIds));

/** How many variants of one workspace are in flight at once (provider round trips and IG's status polling overlap; their D1 writes share round trips, RunWrites). */
export const CONCURRENCY = 16;
const CLAIM_BATCH = 50;

/**
 * Publishes everything due in the workspace (bounded by `budgetMs`); what is left waits for the
 * next alarm. Before it calls Meta, the run takes up to CONCURRENCY slots of the app's fleet-wide
 * gate (gate.ts), earliest due first, and waits for them (within its budget) when the fleet is
 * busy: hundreds of workspaces due at the same minute then publish a bounded number at a time
 * instead of all at once. Due variants are claimed once the slots are held (one conditional
 * UPDATE … RETURNING per batch: a row another try holds is not returned), then published with
 * the slots, the connection opened once per run. A throttle from Meta pauses the gate (the whole
 * fleet) or the account, and the variants not yet started go back to the queue for then.
 */
export async function publishDue(ctx: Ctx, workspaceId: string, opts: { budgetMs?: number; postIds?: string[] } = {}) {
  const until = Date.now() + (opts.budgetMs ?? 25_000);
  const tally = { published: 0, failed: 0, deferred: 0 };
  const signals = new UsageSignals();
  const cache: RunCache = Object.assign(new Map<string, Promise<Opened>>(), { signals });
  const tried = new Set<string>();
  const writes = new RunWrites(ctx);
  let pausing: Promise<void> | null = null;
  const settled = new Set<string>();
  while (Date.now() < until && signals.appPausedUntil === null) {
    const due = await ctx.db.select({ id: publishVariants.id, dueAt: publishVariants.dueAt }).from(publishVariants)
      .where(and(eq(publishVariants.workspaceId, workspaceId), opts.postIds?.length ? inArray(publishVariants.postId, opts.postIds) : undefined, dueOf(Date.now())))
      .orderBy(publishVariants.dueAt).limit(CLAIM_BATCH);
    const fresh = due.filter((d) => !tried.has(d.id));
    if (!fresh.length) break;
    const grant = await acquireSlots(ctx, { want: Math.min(CONCURRENCY, fresh.length), dueAt: Math.min(...fresh.map((d) => d.dueAt ?? 0)), waitMs: until - Date.now() });
    if (!grant.granted) {
      // Meta asked the app to wait: what is due here waits until then, with the reason (the alarm follows).
      if (grant.retryAt !== null && grant.retryAt > Date.now() + EARLY_MS) {
        for (const ids of inChunks(fresh.map((d) => d.id), 5)) {
          await ctx.db.update(publishVariants).set({ dueAt: grant.retryAt, error: `Meta asked QWEB to slow down (app request limit): publishing resumes at ${new Date(grant.retryAt).toISOString().slice(11, 16)} UTC`, updatedAt: Date.now() })
            .where(and(inArray(publishVariants.id, ids), eq(publishVariants.status, "scheduled")));
        }
        tally.deferred += fresh.length;
      }
      break; // else the fleet was busy for this run's whole budget: the next alarm queues again, in its turn
    }
    try {
      for (const d of fresh) tried.add(d.id);
      const now = Date.now();
      const claimed = await ctx.db.update(publishVariants)
        .set({ status: "publishing", attemptId: sql`coalesce(${publishVariants.attemptId}, ${newId()})`, startedAt: sql`coalesce(${publishVariants.startedAt}, ${now})`, attempts: sql`${publishVariants.attempts} + 1`, updatedAt: now })
        .where(and(inArray(publishVariants.id, fresh.map((d) => d.id)), dueOf(now)))
        .returning();
      await loadRunMedia(ctx, workspaceId, claimed);
      for (const v of claimed) runWrites.set(v, writes);
      let next = 0;
      const back: { id: string; at: number }[] = [];
      await Promise.all(Array.from({ length: Math.min(grant.granted, claimed.length) }, async () => {
        while (next < claimed.length && Date.now() < until && signals.appPausedUntil === null) {
          const v = claimed[next++]!;
          const blocked = signals.blockedUntil(v.accountId);
          if (blocked !== null) {
            back.push({ id: v.id, at: blocked });
            continue;
          }
          const o = await publishClaimed(ctx, v, cache);
          if (o !== "skipped") tally[o]++;
          if (o === "published" || o === "failed") settled.add(v.postId);
          // Meta throttled the app: every workspace waits, from now on, not only this run.
          if (signals.appPausedUntil !== null && !pausing) pausing = pauseApp(ctx, signals.appPausedUntil);
        }
      }));
      await writes.drain();
      // Claimed variants this run did not start go back to the queue: at once (the budget ran out), or when Meta said.
      const pausedAt = signals.appPausedUntil;
      for (const v of claimed.slice(next)) back.push({ id: v.id, at: pausedAt ?? now });
      for (const at of new Set(back.map((b) => b.at))) {
        for (const ids of inChunks(back.filter((b) => b.at === at).map((b) => b.id), 5)) {
          await ctx.db.update(publishVariants).set({ status: "scheduled", dueAt: at, attempts: sql`${publishVariants.attempts} - 1`, updatedAt: Date.now() }).where(and(inArray(publishVariants.id, ids), eq(publishVariants.status, "publishing")));
        }
      }
      tally.deferred += back.filter((b) => b.at !== now).length;
    } finally {
      await pausing;
      await releaseSlots(ctx, grant.ticket);
    }
  }
  await settlePosts(ctx, workspaceId, [...settled]);
  return tally;
}

/**
 * Their publish_post actions record what Meta answered now, from here (one read of the posts'
 * variants, one D1 batch of transitions), instead of each runner claiming its actions again to read it.
 */
async function settlePosts(ctx: Ctx, workspaceId: string, postIds: string[]) {
  if (!postIds.length) return;
  const rows: Parameters<typeof outcomeOf>[0] = [];
  for (const ids of inChunks(postIds, 1)) rows.push(...(await ctx.db.select(outcomeColumns).from(publishVariants).where(and(eq(publishVariants.workspaceId, workspaceId), inArray(publishVariants.postId, ids)))));
  const now = Date.now();
  await settleActions({ ctx, input: { workspaceId, kind: "publish_post", outcomes: postIds.map((id) => ({ subjectId: id, outcome: outcomeOf(rows.filter((v) => v.postId === id), now) })) } });
}

/** When the workspace's next variant is due (for the Publisher's alarm), or null; a post whose action is no longer open sets no alarm (it would never be claimed). */
export async function nextDueAt(ctx: Ctx, workspaceId: string): Promise<number | null> {
  const [row] = await ctx.db
    .select({ at: sql<number | null>`min(case when ${publishVariants.status} = 'scheduled' then ${publishVariants.dueAt} else ${publishVariants.updatedAt} + ${LEASE_MS} end)` })
    .from(publishVariants)
    .where(and(eq(publishVariants.workspaceId, workspaceId), inArray(publishVariants.status, ["scheduled", "publishing"]), actionOpen));
  return row?.at ?? null;
}
