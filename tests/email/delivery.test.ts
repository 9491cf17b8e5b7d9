import { afterEach, describe, expect, it, vi } from "vitest";
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import worker from "../../worker/index";
import { retryDelaySeconds } from "../../worker/queues";
import type { QueueMessage } from "../../worker/core/messages";
import { env, uniqueEmail } from "../support/harness";
import { injectFaults, sandboxControl } from "../support/connectors";
import { mailTo } from "../auth/helpers";
import { QUEUES } from "../../worker/lib/queues";

let n = 0;
/** A Resend key of its own per test: sandbox faults match on it, so tests never share one. */
const withResend = () => {
  const key = `re_sandbox_${Date.now().toString(36)}${++n}`;
  return { key, target: { ...env, RESEND_API_KEY: key } as Env };
};

async function runConsumer(messages: QueueMessage[], target: Env, queue: string = QUEUES.OUTBOUND_EMAIL, attempts = 1) {
  const batch = createMessageBatch<QueueMessage>(queue, messages.map((body, i) => ({ id: `m${i}-${crypto.randomUUID()}`, timestamp: Date.now(), attempts, body })));
  // The pool's queue result omits delaySeconds: read it from the retry calls themselves.
  const delays = batch.messages.map((m) => vi.spyOn(m, "retry"));
  const ctx = createExecutionContext();
  await worker.queue(batch, target, ctx);
  const result = await getQueueResult(batch, ctx);
  return { ...result, delays: delays.flatMap((d) => d.mock.calls.map((c) => c[0]?.delaySeconds)) };
}

const email = (to: string): QueueMessage => ({ kind: "email", messageId: crypto.randomUUID(), to, subject: "Your report", text: "secret link token-xyz" });
const sentTo = async (to: string) => (await sandboxControl<{ sent: { to: string[] }[] }>(`resend/sent?to=${encodeURIComponent(to)}`)).sent;
const logged = () => {
  const lines: string[] = [];
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
  return lines;
};

afterEach(() => vi.restoreAllMocks());

describe("outbound email through Resend (sandboxed)", () => {
  it("delivers and acknowledges; a redelivery is deduplicated by the idempotency key", async () => {
    const { target } = withResend();
    const to = uniqueEmail("resend");
    const msg = email(to);
    const result = await runConsumer([msg], target);
    expect(result.explicitAcks).toHaveLength(1);
    await runConsumer([msg], target);
    expect(await sentTo(to)).toHaveLength(1);
  });

  it.each([
    ["a validation error (422)", "not-an-address", {}],
    ["an unknown API key (401)", "ok", { RESEND_API_KEY: "re_wrong" }],
  ])("%s fails at once: acknowledged, not retried, the reason logged without the recipient or text", async (_l, local, extra) => {
    const lines = logged();
    const { target } = withResend();
    const to = local === "ok" ? uniqueEmail("perm") : local;
    const result = await runConsumer([email(to)], { ...target, ...extra } as Env);
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks).toHaveLength(1);
    const failed = lines.find((l) => l.includes("email-failed"));
    expect(failed).toMatch(/Resend answered (422: validation_error|401: missing_api_key)/);
    expect(lines.join("\n")).not.toContain("token-xyz");
    expect(lines.join("\n")).not.toContain(to);
  });

  it("429 retries no sooner than Retry-After", async () => {
    const lines = logged();
    const { key, target } = withResend();
    await injectFaults({ provider: "resend", kind: "429", retryAfter: 120, match: key });
    const result = await runConsumer([email(uniqueEmail("limited"))], target);
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages).toHaveLength(1);
    expect(result.delays[0]).toBeGreaterThanOrEqual(120);
    expect(lines.join("\n")).toContain("rate_limit_exceeded");
  });

  it("500 and network errors retry with a delay, and the message is still delivered later", async () => {
    logged();
    const { key, target } = withResend();
    const to = uniqueEmail("flaky");
    const msg = email(to);
    await injectFaults({ provider: "resend", kind: "500", match: key });
    const first = await runConsumer([msg], target);
    expect(first.retryMessages).toHaveLength(1);
    expect(first.delays[0]).toBeGreaterThanOrEqual(0);
    const unreachable = await runConsumer([msg], { ...target, SANDBOX_URL: "http://127.0.0.1:9" } as Env, QUEUES.OUTBOUND_EMAIL, 2);
    expect(unreachable.retryMessages).toHaveLength(1);
    expect(await sentTo(to)).toEqual([]);
    expect((await runConsumer([msg], target, QUEUES.OUTBOUND_EMAIL, 3)).explicitAcks).toHaveLength(1);
    expect(await sentTo(to)).toHaveLength(1);
  });

  it("backoff grows exponentially with full jitter, capped, and honours Retry-After", () => {
    const random = vi.spyOn(Math, "random");
    random.mockReturnValue(0.999);
    expect([1, 2, 3, 4].map((a) => retryDelaySeconds(a))).toEqual([10, 20, 40, 80]);
    expect(retryDelaySeconds(30)).toBeGreaterThan(3500);
    expect(retryDelaySeconds(30)).toBeLessThanOrEqual(3600);
    random.mockReturnValue(0);
    expect(retryDelaySeconds(5)).toBe(0);
    expect(retryDelaySeconds(5, 90_000)).toBe(90);
  });
});

describe("the dead-letter queue is recognised by configuration, not by its name", () => {
  it("the configured DLQ acknowledges without delivering, whatever it is called", async () => {
    logged();
    const to = uniqueEmail("dead");
    const result = await runConsumer([email(to)], { ...env, OUTBOUND_EMAIL_DLQ: "mail-graveyard" } as Env, "mail-graveyard");
    expect(result.explicitAcks).toHaveLength(1);
    expect(await mailTo(to)).toEqual([]);
  });

  it("a queue merely named like one (…-dlq) that is not configured is neither delivered nor dropped", async () => {
    const lines = logged();
    const to = uniqueEmail("stray");
    const result = await runConsumer([email(to)], env, "reports-dlq");
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryBatch.retry).toBe(true);
    expect(await mailTo(to)).toEqual([]);
    expect(lines.join("\n")).toContain("unknown-queue");
  });
});
