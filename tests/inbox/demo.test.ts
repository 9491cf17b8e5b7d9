import { describe, expect, it } from "vitest";
import { createDb } from "../../worker/db/client";
import { connectDemoMailbox } from "../../worker/features/inbox/demo";
import { call, conversations, env, expectStatus, ownerWithWorkspace, syncMailbox } from "./support";

describe("demo mailbox", () => {
  it("the demo seed's connect walks the OAuth path, is idempotent, and the workspace gets conversations", async () => {
    const { t, ws } = await ownerWithWorkspace("Bistro Uno");
    const id = await connectDemoMailbox(env, createDb(env.DB), t.userId, ws, "hello@bistro-uno.example");
    expect(await connectDemoMailbox(env, createDb(env.DB), t.userId, ws, "hello@bistro-uno.example")).toBe(id);
    await syncMailbox(id);
    const list = await call("GET", `/api/workspaces/${ws.id}/inbox/mailboxes`, { token: t.token });
    expectStatus(list, 200);
    expect(list.json.mailboxes).toEqual([expect.objectContaining({ id, address: "hello@bistro-uno.example", status: "active" })]);
    const convs = (await conversations(t, { workspaceId: ws.id })).conversations;
    expect(convs.length).toBeGreaterThan(10);
    expect(convs.every((c) => c.mailboxAddress === "hello@bistro-uno.example")).toBe(true);
  });
});
