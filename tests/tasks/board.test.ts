import { describe, expect, it } from "vitest";
import { inviteAndAccept, newTenant, newWorkspace } from "../support/harness";
import { call, env, expectStatus } from "../dashboards/support";

type T = { id: string; title: string; status: string };
const board = async (token: string, ws: string) => {
  const tasks = (await call("GET", `/api/workspaces/${ws}/tasks`, { token })).json.tasks as T[];
  return Object.fromEntries(["todo", "doing", "done"].map((s) => [s, tasks.filter((t) => t.status === s).map((t) => t.title)]));
};

describe("task board: drag and drop", () => {
  it("moves cards between columns and reorders within one; the order is what a reload shows", async () => {
    const owner = await newTenant();
    const ws = await newWorkspace(owner, "Board Client");
    const mk = async (title: string) => (await call("POST", `/api/workspaces/${ws.id}/tasks`, { token: owner.token, body: { title } })).json as T;
    const a = await mk("A");
    const b = await mk("B");
    const c = await mk("C");
    expect((await board(owner.token, ws.id)).todo).toEqual(["C", "B", "A"]); // newest on top
    const move = (t: T, status: string, afterId: string | null) => call("POST", `/api/workspaces/${ws.id}/tasks/${t.id}/move`, { token: owner.token, body: { status, afterId } });

    const first = await move(a, "doing", null);
    expectStatus(first, 200);
    expect(first.json).toMatchObject({ id: a.id, status: "doing" });
    expectStatus(await move(b, "doing", a.id), 200);
    expect(await board(owner.token, ws.id)).toEqual({ todo: ["C"], doing: ["A", "B"], done: [] });
    expectStatus(await move(c, "doing", a.id), 200); // between A and B
    expect((await board(owner.token, ws.id)).doing).toEqual(["A", "C", "B"]);
    expectStatus(await move(a, "doing", b.id), 200); // within the column: to the bottom
    expectStatus(await move(b, "doing", null), 200); // to the top
    expect(await board(owner.token, ws.id)).toEqual({ todo: [], doing: ["B", "C", "A"], done: [] });

    // Cards with equal positions (rows from before the board had an order): the column is renumbered.
    await env.DB.prepare("UPDATE tasks SET position = 0 WHERE workspace_id = ?").bind(ws.id).run();
    const tied = await board(owner.token, ws.id);
    const [top, second] = tied.doing as [string, string, string];
    const byTitle = { A: a, B: b, C: c } as Record<string, T>;
    const third = (tied.doing as string[])[2]!;
    expectStatus(await move(byTitle[third]!, "doing", byTitle[top]!.id), 200);
    expect((await board(owner.token, ws.id)).doing).toEqual([top, third, second]);
  });

  it("errors: a card no longer in that column is a conflict, bad input is 400, a viewer 403, another tenant 404", async () => {
    const owner = await newTenant();
    const ws = await newWorkspace(owner, "Board Errors");
    const a = (await call("POST", `/api/workspaces/${ws.id}/tasks`, { token: owner.token, body: { title: "A" } })).json as T;
    const b = (await call("POST", `/api/workspaces/${ws.id}/tasks`, { token: owner.token, body: { title: "B" } })).json as T;
    const path = `/api/workspaces/${ws.id}/tasks/${a.id}/move`;
    expectStatus(await call("POST", path, { token: owner.token, body: { status: "done", afterId: b.id } }), 409); // B is in "todo"
    expectStatus(await call("POST", path, { token: owner.token, body: { status: "todo", afterId: a.id } }), 400);
    expectStatus(await call("POST", path, { token: owner.token, body: { status: "blocked", afterId: null } }), 400);
    expectStatus(await call("POST", path, { token: owner.token, body: { status: "todo" } }), 400);
    const viewer = await inviteAndAccept(owner, { workspaceId: ws.id }, "viewer");
    expectStatus(await call("POST", path, { token: viewer.token, body: { status: "done", afterId: null } }), 403);
    const other = await newTenant();
    const theirs = await newWorkspace(other, "Theirs");
    expectStatus(await call("POST", path, { token: other.token, body: { status: "done", afterId: null } }), 404);
    expectStatus(await call("POST", `/api/workspaces/${theirs.id}/tasks/${a.id}/move`, { token: other.token, body: { status: "done", afterId: null } }), 404);
    // Another tenant's card id as the neighbour looks like one not in the column.
    const foreign = (await call("POST", `/api/workspaces/${theirs.id}/tasks`, { token: other.token, body: { title: "X" } })).json as T;
    expectStatus(await call("POST", path, { token: owner.token, body: { status: "todo", afterId: foreign.id } }), 409);
    expect((await board(owner.token, ws.id)).todo).toEqual(["B", "A"]);
  });
});
