// The fleet-wide publishing gate: every workspace's Publisher takes slots of the Meta app's gate
// before it calls Graph (a bounded number in flight for the whole fleet, earliest due first), and
// a throttle Meta answers for the app pauses every workspace until Meta's time, not just the one
// that tripped it. Injects sandbox faults: runs in the sandbox-faults project.
import { env } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { ctxFromEnv } from "../../worker/core/context";
import { gateKey, gateStatus } from "../../worker/features/publishing/gate";
import { compose, getPost, injectFaultsMeta, publishCount, runDue, textOf, withMeta, type MetaSetup } from "./support";

const gateOf = (key: string) => env.THROTTLE.getByName(key);
const appGate = () => gateOf(gateKey(ctxFromEnv(env)));

async function dueNow(s: MetaSetup, postId: string) {
  await env.DB.prepare("UPDATE publish_variants SET due_at = ? WHERE post_id = ? AND status = 'scheduled'").bind(Date.now() - 1, postId).run();
  return runDue(s);
}

describe("publishing gate: order and capacity", () => {
  const lease = { leaseMs: 60_000 };
  it("never grants more than its capacity; a freed slot goes to the earliest due waiter, not the first to ask", async () => {
    const gate = gateOf(`gate:test-order-${Date.now().toString(36)}`);
    const one = await gate.acquire({ want: 1, capacity: 2, dueAt: 1_000, waitMs: 1_000, ...lease });
    const two = await gate.acquire({ want: 3, capacity: 2, dueAt: 1_000, waitMs: 1_000, ...lease });
    expect([one.granted, two.granted]).toEqual([1, 1]);
    const order: string[] = [];
    const late = gate.acquire({ want: 1, capacity: 2, dueAt: 9_000, waitMs: 10_000, ...lease }).then((g) => (order.push("due later"), g));
    const early = gate.acquire({ want: 1, capacity: 2, dueAt: 5_000, waitMs: 10_000, ...lease }).then((g) => (order.push("due earlier"), g));
    await new Promise((r) => setTimeout(r, 50));
    expect(await gate.gate()).toMatchObject({ capacity: 2, inUse: 2, waiting: 2 });
    await gate.release(one.ticket!);
    const first = await early;
    expect(first.granted).toBe(1);
    expect(await gate.gate()).toMatchObject({ inUse: 2, waiting: 1 });
    await gate.release(two.ticket!);
    expect((await late).granted).toBe(1);
    expect(order).toEqual(["due earlier", "due later"]);
  });

  it("a waiter not served within its patience gets no slot (and asks again later); a paused gate answers at once with the time", async () => {
    const gate = gateOf(`gate:test-wait-${Date.now().toString(36)}`);
    const held = await gate.acquire({ want: 1, capacity: 1, dueAt: 1, waitMs: 1_000, ...lease });
    const t0 = Date.now();
    const refused = await gate.acquire({ want: 1, capacity: 1, dueAt: 1, waitMs: 200, ...lease });
    expect(refused).toMatchObject({ granted: 0, ticket: null });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
    await gate.release(held.ticket!);
    const until = Date.now() + 60_000;
    await gate.pause(until);
    expect(await gate.acquire({ want: 1, capacity: 1, dueAt: 1, waitMs: 1_000, ...lease })).toMatchObject({ granted: 0, retryAt: until });
    expect((await gate.gate()).pausedUntil).toBe(until);
  });
});

describe("publishing gate: Meta's app throttle", () => {
  afterEach(async () => {
    await appGate().reset();
  });

  it("an app-level throttle (#4) on one workspace's post pauses publishing for every workspace until Meta's time; afterwards each posts once", async () => {
    const a = await withMeta("gate-a");
    const b = await withMeta("gate-b");
    const ta = textOf("throttled A");
    const tb = textOf("throttled B");
    await injectFaultsMeta({ kind: "429", match: `${a.pageId}/feed`, count: 1 });
    const pa = await compose(a, { variants: [{ accountId: a.pageId, text: ta }], scheduledFor: Date.now() });
    await runDue(a);
    const va = (await getPost(a, pa.id)).variants[0]!;
    expect(va.status).toBe("scheduled");
    expect(va.error).toMatch(/#4/);
    // Meta gave no time (no X-Business-Use-Case-Usage estimate): a minute; being throttled spends no attempt.
    expect(va.dueAt!).toBeGreaterThan(Date.now() + 50_000);
    expect(va.attempts).toBe(0);
    const paused = (await gateStatus(ctxFromEnv(env))).pausedUntil!;
    expect(paused).toBeGreaterThan(Date.now() + 50_000);

    // Another workspace's due post does not call Meta while the app is paused: it waits, with the reason.
    const pb = await compose(b, { variants: [{ accountId: b.pageId, text: tb }], scheduledFor: Date.now() });
    await runDue(b);
    const vb = (await getPost(b, pb.id)).variants[0]!;
    expect(vb.status).toBe("scheduled");
    expect(vb.error).toMatch(/Meta asked QWEB to slow down/);
    expect(vb.dueAt).toBe(paused);
    expect(await publishCount(b.pageId, tb)).toBe(0);
    expect(await publishCount(a.pageId, ta)).toBe(0);

    // Meta's time has come (the test lifts the pause): both go, once each.
    await appGate().reset();
    await dueNow(a, pa.id);
    await dueNow(b, pb.id);
    expect((await getPost(a, pa.id)).status).toBe("published");
    expect((await getPost(b, pb.id)).status).toBe("published");
    expect(await publishCount(a.pageId, ta)).toBe(1);
    expect(await publishCount(b.pageId, tb)).toBe(1);
  });
});
