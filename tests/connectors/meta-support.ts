// Meta connector test helpers: connect through the sandbox's Facebook Login, and its exact figures.
import { expect } from "vitest";
import { meta } from "../../worker/connectors/meta";
import type { Account, OAuthFlow } from "../../worker/connectors/types";
import { authorizeSilently, sandboxControl, sandboxRuntime } from "../support/connectors";

export const flow = meta.auth.kind === "oauth2" ? meta.auth.flow : (undefined as never as OAuthFlow);
export const rt = sandboxRuntime();
let n = 0;
/** A fresh sandbox Meta user (the slug names its business). */
export const slugOf = (tag: string) => `meta-${tag}-${Date.now().toString(36)}-${++n}`;

export type MetaUser = {
  id: string;
  name: string;
  pages: { id: string; name: string; followers: number; ig: { id: string; username: string; followers: number } | null }[];
  adAccounts: { id: string; name: string; currency: string }[];
  campaigns: { id: string; account: string; name: string; status: string; dailyBudget: number | null; lifetimeBudget: number | null }[];
  adSets: { id: string; campaignId: string }[];
};
export type Stats = {
  social: Record<string, Record<string, number>>;
  ads: Record<string, { rows: number; spendMinor: number; impressions: number; clicks: number; purchases: number; valueMinor: number }>;
};

export const userOf = (slug: string) => sandboxControl<MetaUser>(`meta/user?user=${slug}`);
export const statsOf = (slug: string, start: string, end = "2999-12-31") => sandboxControl<Stats>(`meta/stats?user=${slug}&start=${start}&end=${end}`);

export async function connect(slug: string) {
  const url = flow.authorizeUrl(rt, { state: "st-m", account: { loginHint: slug } });
  const back = await authorizeSilently(url);
  expect(back.state).toBe("st-m");
  const grant = await flow.exchange(rt, { code: back.code!, account: {}, query: back });
  return { grant, secrets: grant.secrets, account: grant.account as Account };
}
