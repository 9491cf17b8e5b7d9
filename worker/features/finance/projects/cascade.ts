import type { rates } from "../../../db/schema";

type Rate = Pick<typeof rates.$inferSelect, "scope" | "targetId" | "hourlyMinor" | "costMinor">;
export type RateSubject = { userId: string | null; workspaceId: string; projectId: string | null };
export type Resolved = { hourlyMinor: number; costMinor: number; source: Rate["scope"] | "none" };

/**
 * The rate cascade: organization default → client (workspace) → project → person, the most
 * specific level that has a rate wins. The cost rate is the person's (what an hour costs the
 * agency), else the most specific level that names one.
 */
export function rateResolver(all: Rate[]) {
  const key = (scope: string, id: string | null) => `${scope}:${id ?? ""}`;
  const byKey = new Map(all.map((r) => [key(r.scope, r.targetId), r]));
  const orgRate = all.find((r) => r.scope === "org");
  return (s: RateSubject): Resolved => {
    const chain = [byKey.get(key("person", s.userId)), s.projectId ? byKey.get(key("project", s.projectId)) : undefined, byKey.get(key("workspace", s.workspaceId)), orgRate];
    const hit = chain.find((r) => r !== undefined);
    const cost = chain.find((r) => r?.costMinor !== null && r?.costMinor !== undefined);
    return { hourlyMinor: hit?.hourlyMinor ?? 0, costMinor: cost?.costMinor ?? 0, source: hit?.scope ?? "none" };
  };
}
