// Klaviyo lists → Audience, with member counts from profile_count. profile_count is only served
// one list at a time and is limited to 1/s (15/min), so each count is its own page, paced by the
// RateLimit headers; the list ids still to count travel in the cursor.
import { API_BASE, expectCollection, klaviyoGet, ms, waitUntil, type Collection, type Resource } from "./api";
import type { Audience, Cursor, StreamPage, SyncStream } from "../types";

type ListAttributes = { name?: string; created?: string; updated?: string; profile_count?: number };

export const listsStream: SyncStream = {
  name: "lists",
  async page(rt, { secrets, cursor }): Promise<StreamPage> {
    if (cursor?.phase !== "count") {
      const url = typeof cursor?.url === "string" ? cursor.url : `${API_BASE}/lists?sort=id&page[size]=10&fields[list]=name`;
      const { body } = await klaviyoGet<Collection<ListAttributes>>(rt, secrets, url);
      const ids = expectCollection(body, "lists").data.map((l) => l.id);
      const after = body.links?.next ?? null;
      if (ids.length) return { batch: {}, next: { phase: "count", pending: ids.join(","), after } };
      return { batch: {}, next: after ? { phase: "page", url: after } : null };
    }
    const [id, ...rest] = String(cursor.pending).split(",");
    await waitUntil(rt, cursor.notBefore);
    const { body, nextAllowedAt } = await klaviyoGet<{ data: Resource<ListAttributes> }>(
      rt,
      secrets,
      `${API_BASE}/lists/${encodeURIComponent(id!)}?additional-fields[list]=profile_count`,
    );
    const a = body?.data?.attributes ?? {};
    const audience: Audience = {
      providerId: id!,
      name: a.name ?? id!,
      kind: "list",
      memberCount: typeof a.profile_count === "number" ? a.profile_count : 0,
      updatedAt: ms(a.updated) ?? ms(a.created) ?? rt.now(),
    };
    const next: Cursor | null = rest.length
      ? { phase: "count", pending: rest.join(","), after: cursor.after ?? null, notBefore: nextAllowedAt }
      : typeof cursor.after === "string"
        ? { phase: "page", url: cursor.after }
        : null;
    return { batch: { audiences: [audience] }, next };
  },
};
