// Connecting the non-Gmail mailboxes in tests the way a browser does: Outlook through the
// Microsoft consent redirect and our OAuth callback, iCloud through its form.
import { expect } from "vitest";
import { authorizeSilently } from "../support/connectors";
import type { Tenant } from "../support/harness";
import { OAUTH_COOKIE, oauthCallback } from "../integrations/support";
import { call, expectStatus } from "./support";

export const APP_PASSWORD = "abcd-efgh-ijkl-mnop";

/** POST connect → Microsoft consent (prompt=none) → our OAuth callback → the settings page. */
export async function connectOutlook(t: Tenant, workspaceId: string, address: string): Promise<string> {
  const start = await call("POST", `/api/workspaces/${workspaceId}/inbox/mailboxes/outlook/connect`, { token: t.token, body: { loginHint: address } });
  expectStatus(start, 200);
  const u = new URL(start.json.authorizeUrl);
  expect(u.pathname).toMatch(/\/outlook\/login\.microsoftonline\.com\/common\/oauth2\/v2\.0\/authorize$/);
  expect(u.searchParams.get("scope")!.split(" ")).toEqual(expect.arrayContaining(["offline_access", "Mail.ReadWrite", "Mail.Send"]));
  expect(u.searchParams.get("code_challenge_method")).toBe("S256");
  const query = await authorizeSilently(start.json.authorizeUrl);
  const cookie = start.headers.getSetCookie().find((c) => c.startsWith(`${OAUTH_COOKIE}=`))?.split(";")[0] ?? null;
  const location = await oauthCallback(query, { cookie });
  expect(location.searchParams.get("error"), `callback error: ${location.searchParams.get("error")}`).toBeNull();
  expect(location.searchParams.get("connected")).toBe("outlook");
  return location.searchParams.get("mailbox")!;
}


export async function connectIcloud(t: Tenant, workspaceId: string, address: string, appPassword = APP_PASSWORD) {
  const res = await call("POST", `/api/workspaces/${workspaceId}/inbox/mailboxes/icloud/connect`, { token: t.token, body: { address, appPassword } });
  expectStatus(res, 201);
  expect(res.json).toMatchObject({ provider: "icloud", address, status: "active" });
  return res.json.id as string;
}
