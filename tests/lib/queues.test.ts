import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import wranglerToml from "../../wrangler.toml?raw";
import { readConfig } from "../../worker/env";
import { QUEUES } from "../../worker/lib/queues";

/** The `key = "value"` lines of every [[table]] block named `table` in wrangler.toml. */
const blocks = (table: string) =>
  wranglerToml.split(/^\[/m).filter((b) => b.startsWith(`[${table}]]`)).map((b) => Object.fromEntries([...b.matchAll(/^(\w+)\s*=\s*"([^"]*)"/gm)].map((m) => [m[1]!, m[2]!])));

describe("queue names are declared once", () => {
  it("wrangler.toml's producers, consumers and dead-letter queues are exactly the queue module's", () => {
    const producers = blocks("queues.producers").map((b) => b.queue);
    const consumers = blocks("queues.consumers");
    const named = new Set([...producers, ...consumers.map((b) => b.queue), ...consumers.flatMap((b) => (b.dead_letter_queue ? [b.dead_letter_queue] : []))]);
    expect([...named].sort()).toEqual(Object.values(QUEUES).sort());
    // Every queue with a dead-letter queue sends there; every dead-letter queue has its consumer.
    expect(Object.fromEntries(consumers.filter((b) => b.dead_letter_queue).map((b) => [b.queue, b.dead_letter_queue]))).toEqual({ [QUEUES.OUTBOUND_EMAIL]: QUEUES.OUTBOUND_EMAIL_DLQ, [QUEUES.AI_JOBS]: QUEUES.AI_JOBS_DLQ });
    expect(consumers.map((b) => b.queue).sort()).toEqual(Object.values(QUEUES).sort());
  });

  it("the email queue's vars and their defaults name the same queues", () => {
    expect(/^OUTBOUND_EMAIL_QUEUE\s*=\s*"([^"]+)"/m.exec(wranglerToml)?.[1]).toBe(QUEUES.OUTBOUND_EMAIL);
    expect(/^OUTBOUND_EMAIL_DLQ\s*=\s*"([^"]+)"/m.exec(wranglerToml)?.[1]).toBe(QUEUES.OUTBOUND_EMAIL_DLQ);
    const defaults = readConfig({ ...env, OUTBOUND_EMAIL_QUEUE: undefined, OUTBOUND_EMAIL_DLQ: undefined } as unknown as Env);
    expect([defaults.OUTBOUND_EMAIL_QUEUE, defaults.OUTBOUND_EMAIL_DLQ]).toEqual([QUEUES.OUTBOUND_EMAIL, QUEUES.OUTBOUND_EMAIL_DLQ]);
  });
});
