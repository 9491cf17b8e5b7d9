import { afterEach, describe, expect, it, vi } from "vitest";
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import worker from "../../worker/index";
import { app } from "../../worker/app";
import { sendEmail } from "../../worker/core/email/outbound";
import type { QueueMessage } from "../../worker/core/messages";
import { call, env, expectStatus, uniqueEmail } from "../support/harness";
import { mailTo, waitForMail } from "../auth/helpers";
import { QUEUES } from "../../worker/lib/queues";

const production = () => ({ ...env, APP_ENV: "production" }) as Env;

async function runConsumer(messages: QueueMessage[], target: Env = env, queue: string = QUEUES.OUTBOUND_EMAIL) {
  const batch = createMessageBatch<QueueMessage>(
    queue,
    messages.map((body, i) => ({ id: `msg-${i}-${crypto.randomUUID()}`, timestamp: Date.now(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, target, ctx);
  return { batch, result: await getQueueResult(batch, ctx) };
}

const email = (to: string, subject = "Hello"): QueueMessage => ({ kind: "email", messageId: crypto.randomUUID(), to, subject, text: "Body text" });

afterEach(() => {
  vi.restoreAllMocks();
});

describe("outbound email: happy path", () => {
  it("sendEmail travels producer → queue → consumer into the dev mailbox", async () => {
    const to = uniqueEmail("mail");
    const messageId = await sendEmail(env, { to, subject: "Round trip", text: "Sent through the real queue", userId: null });
    expect(messageId).toMatch(/^[0-9a-f-]{36}$/);
    const [mail] = await waitForMail(to, (m) => m.subject === "Round trip");
    expect(mail).toMatchObject({ to, text: "Sent through the real queue" });
    expect(Object.keys(mail!).sort()).toEqual(["createdAt", "id", "subject", "text", "to"]);
  });

  it("lists the mailbox newest first", async () => {
    const to = uniqueEmail("order");
    const first = email(to, "First");
    const second = email(to, "Second");
    await runConsumer([first]);
    await new Promise((r) => setTimeout(r, 5));
    await runConsumer([second]);
    expect((await mailTo(to)).map((m) => m.subject)).toEqual(["Second", "First"]);
    const all = await call("GET", "/api/dev/mailbox");
    expectStatus(all, 200);
    expect(all.json.messages.length).toBeLessThanOrEqual(100);
  });
});

describe("outbound email: errors", () => {
  it("a redelivered message is stored once (idempotent on messageId)", async () => {
    const to = uniqueEmail("dupe");
    const message = email(to, "Only once");
    const { result } = await runConsumer([message, message]);
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks).toHaveLength(2);
    await runConsumer([message]);
    expect(await mailTo(to)).toHaveLength(1);
  });

  it("in production without a provider nothing lands in the mailbox; the message is retried, and the log names no recipient or text", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
    const to = uniqueEmail("prod");
    const { batch, result } = await runConsumer([{ ...email(to), text: "secret reset link token-abc" }], production());
    expect(result.retryMessages.map((m) => m.msgId)).toEqual([batch.messages[0]!.id]);
    expect(await mailTo(to)).toEqual([]);
    expect(lines.join("\n")).toContain("queue-retry");
    expect(lines.join("\n")).not.toContain("token-abc");
    expect(lines.join("\n")).not.toContain(to);
  });

  it("dead-lettered messages are acknowledged, not redelivered forever", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const { result } = await runConsumer([email(uniqueEmail("dlq"))], env, QUEUES.OUTBOUND_EMAIL_DLQ);
    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toEqual([]);
  });

  it("rejects a bad mailbox filter with 400", async () => {
    const res = await call("GET", `/api/dev/mailbox?to=${"x".repeat(300)}`);
    expectStatus(res, 400);
    expect(res.json.error.code).toBe("VALIDATION_FAILED");
  });
});

describe("outbound email: security", () => {
  it("the dev mailbox does not exist in production", async () => {
    const res = await app.fetch(new Request("http://localhost:8787/api/dev/mailbox"), production(), createExecutionContext());
    expect(res.status).toBe(404);
  });
});
