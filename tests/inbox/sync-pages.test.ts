// The Gmail initial sync over several pages in one step: the next page is listed and fetched while
// the current one is stored, the cursor moves past a page only once it is stored, and a later
// page's failure ends the step at the page before it (retried as the next step's first).
//
// The steps run directly (as the Mailbox DO runs them) with the initial window lifted above the
// test default of 300 messages (INBOX_INITIAL_MAX), so that a 1,300-message mailbox is three of
// Gmail's 500-message pages.
import { describe, expect, it } from "vitest";
import { ctxFromEnv } from "../../worker/core/context";
import { syncStep, type SyncCursor } from "../../worker/features/inbox/sync";
import { connectGmail, count, env, injectFaults, ownerWithWorkspace, syncMailbox, uniqueAddress } from "./support";

const SIZE = 1300;

async function connected(tag: string) {
  const { t, ws } = await ownerWithWorkspace();
  // A sandbox address ending "-messages-N@" holds N messages of the demo kinds.
  const address = uniqueAddress(tag).replace("@", `-messages-${SIZE}@`);
  const id = await connectGmail(t, ws.id, address);
  // The DO's own first sync (the test default window: the newest 300) settles first.
  await syncMailbox(id, 60_000);
  await (await fetch(`${env.SANDBOX_URL}/_sandbox/requests`, { method: "DELETE" })).text();
  const ctx = () => {
    const c = ctxFromEnv(env);
    return { ...c, config: { ...c.config, INBOX_INITIAL_MAX: SIZE } };
  };
  // Step 1 of a full sync reads the profile (its historyId to catch up from); step 2 lists.
  const first = await syncStep({ ctx: ctx(), input: { mailboxId: id, cursor: null } });
  expect(first.cursor).toMatchObject({ phase: "initial", pageToken: null, fetched: 0 });
  return { id, ctx, start: first.cursor as SyncCursor };
}

type Logged = { method: string; path: string };
const requests = async () => ((await (await fetch(`${env.SANDBOX_URL}/_sandbox/requests?provider=gmail`)).json()) as { requests: Logged[] }).requests;
const listCalls = (log: Logged[]) => log.filter((r) => r.method === "GET" && /\/users\/me\/messages\?/.test(r.path));
/** Each message id fetched (format=raw) in the log, with how often. */
const fetchedIds = (log: Logged[]) => {
  const n = new Map<string, number>();
  for (const r of log) {
    const id = /\/messages\/([^?/]+)\?.*format=raw/.exec(r.path)?.[1];
    if (id) n.set(id, (n.get(id) ?? 0) + 1);
  }
  return n;
};
const stored = (id: string) => count("SELECT DISTINCT provider_id FROM inbox_messages WHERE mailbox_id = ?", id);
const rows = (id: string) => count("SELECT 1 FROM inbox_messages WHERE mailbox_id = ?", id);

describe("Gmail initial sync over several pages", () => {
  it("one step stores three 500-message pages, listing and fetching each once, and ends in the incremental phase", async () => {
    const { id, ctx, start } = await connected("pages");
    const step = await syncStep({ ctx: ctx(), input: { mailboxId: id, cursor: start } });
    expect(step.cursor).toMatchObject({ phase: "incremental" });
    expect(await stored(id)).toBe(SIZE);
    expect(await rows(id)).toBe(SIZE);
    const log = await requests();
    expect(listCalls(log).length).toBe(3);
    const ids = fetchedIds(log);
    expect(ids.size).toBe(SIZE);
    expect([...ids.values()].every((n) => n === 1)).toBe(true);
    // The 300 the DO had stored were not stored again: 1,000 new ones.
    expect(step.stored).toBe(SIZE - 300);
  });

  it("a failed listing of the third page ends the step after the second, and the next step lists the third again and stores it once", async () => {
    const { id, ctx, start } = await connected("listfail");
    await injectFaults([{ provider: "gmail", kind: "500", match: "pageToken=", count: 1, after: 1 }]);
    const step = await syncStep({ ctx: ctx(), input: { mailboxId: id, cursor: start } });
    expect(step.done).toBe(false);
    expect(step.cursor).toMatchObject({ phase: "initial", fetched: 1000, pageToken: expect.any(String) });
    expect(await stored(id)).toBe(1000);
    const again = await syncStep({ ctx: ctx(), input: { mailboxId: id, cursor: step.cursor } });
    expect(again.cursor).toMatchObject({ phase: "incremental" });
    expect(await stored(id)).toBe(SIZE);
    expect(await rows(id)).toBe(SIZE);
    expect(again.stored).toBe(300);
  });

  it("a failed fetch on the second page keeps only the first page's progress; the second page is fetched again and nothing is stored twice", async () => {
    const { id, ctx, start } = await connected("fetchfail");
    // The 501st message fetch is the second page's first: a 500 for it.
    await injectFaults([{ provider: "gmail", kind: "500", match: "format=raw", count: 1, after: 500 }]);
    const step = await syncStep({ ctx: ctx(), input: { mailboxId: id, cursor: start } });
    expect(step.done).toBe(false);
    expect(step.cursor).toMatchObject({ phase: "initial", fetched: 500, pageToken: expect.any(String) });
    expect(await stored(id)).toBe(500);
    const again = await syncStep({ ctx: ctx(), input: { mailboxId: id, cursor: step.cursor } });
    expect(again.cursor).toMatchObject({ phase: "incremental" });
    expect(await stored(id)).toBe(SIZE);
    expect(await rows(id)).toBe(SIZE);
    // Pages two and three in the retry, listed once each.
    expect(listCalls(await requests()).filter((r) => r.path.includes("pageToken=")).length).toBe(1 + 2);
  });

  it("a failed fetch on the first page of a step stores what came and goes up, so the DO backs off and retries from the same cursor", async () => {
    const { id, ctx, start } = await connected("firstfail");
    await injectFaults([{ provider: "gmail", kind: "500", match: "format=raw", count: 1, after: 120 }]);
    await expect(syncStep({ ctx: ctx(), input: { mailboxId: id, cursor: start } })).rejects.toThrow();
    const kept = await stored(id);
    expect(kept).toBeGreaterThanOrEqual(300);
    expect(kept).toBeLessThan(500);
    const again = await syncStep({ ctx: ctx(), input: { mailboxId: id, cursor: start } });
    expect(again.cursor).toMatchObject({ phase: "incremental" });
    expect(await stored(id)).toBe(SIZE);
    expect(await rows(id)).toBe(SIZE);
  });
});
