import { describe, expect, it } from "vitest";
import { createDb } from "../../worker/db/client";
import { connectDemoIcloud, connectDemoMailbox } from "../../worker/features/inbox/demo";
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

describe("demo Outlook and iCloud mailboxes", () => {
  it("the demo seed connects Outlook through Microsoft OAuth and iCloud through its form, idempotently, each with conversations", async () => {
    const { t, ws } = await ownerWithWorkspace("Peak Outfitters");
    const db = createDb(env.DB);
    const outlook = await connectDemoMailbox(env, db, t.userId, ws, "office@peak-outfitters.example", "outlook");
    const icloud = await connectDemoIcloud(env, db, t.userId, ws, "peak-outfitters@icloud.example");
    expect(await connectDemoMailbox(env, db, t.userId, ws, "office@peak-outfitters.example", "outlook")).toBe(outlook);
    expect(await connectDemoIcloud(env, db, t.userId, ws, "peak-outfitters@icloud.example")).toBe(icloud);
    await syncMailbox(outlook);
    await syncMailbox(icloud);
    const list = await call("GET", `/api/workspaces/${ws.id}/inbox/mailboxes`, { token: t.token });
    expect(list.json.mailboxes.map((m: { provider: string; address: string }) => [m.provider, m.address]).sort()).toEqual([
      ["icloud", "peak-outfitters@icloud.example"],
      ["outlook", "office@peak-outfitters.example"],
    ]);
    const convs = (await conversations(t, { workspaceId: ws.id })).conversations;
    for (const address of ["office@peak-outfitters.example", "peak-outfitters@icloud.example"]) expect(convs.filter((c) => c.mailboxAddress === address).length).toBeGreaterThan(10);
  });
});
