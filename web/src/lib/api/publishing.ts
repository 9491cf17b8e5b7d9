import { apiRaw } from "../api";
import { client, type BodyOf, type ResponseOf } from "./client";

export type ChannelList = ResponseOf<"/api/workspaces/{workspaceId}/publishing/channels", "get">;
export type Channel = ChannelList["channels"][number];
export type PostList = ResponseOf<"/api/workspaces/{workspaceId}/publishing/posts", "get">;
export type Post = PostList["posts"][number];
export type PostVariant = Post["variants"][number];
export type Media = ResponseOf<"/api/workspaces/{workspaceId}/publishing/media", "get">["media"][number];
export type ComposeBody = BodyOf<"/api/workspaces/{workspaceId}/publishing/posts", "post">;
export type PostListName = "queue" | "published" | "stuck" | "drafts";

export const listChannels = (workspaceId: string) => client.get("/api/workspaces/{workspaceId}/publishing/channels", { params: { workspaceId } });
export const listMedia = (workspaceId: string) => client.get("/api/workspaces/{workspaceId}/publishing/media", { params: { workspaceId } }).then((r) => r.media);
export const listPosts = (workspaceId: string, list: PostListName) => client.get("/api/workspaces/{workspaceId}/publishing/posts", { params: { workspaceId }, query: { list, limit: 200 } });
export const calendar = (workspaceId: string, from: string, to: string) => client.get("/api/workspaces/{workspaceId}/publishing/calendar", { params: { workspaceId }, query: { from, to } });
export const createPost = (workspaceId: string, body: ComposeBody) => client.post("/api/workspaces/{workspaceId}/publishing/posts", { params: { workspaceId }, body }).then((r) => r.post);
export const postFromContent = (workspaceId: string, contentId: string, accountIds: string[]) =>
  client.post("/api/workspaces/{workspaceId}/publishing/posts/from-content", { params: { workspaceId }, body: { contentId, accountIds } }).then((r) => r.post);
export const schedulePost = (workspaceId: string, postId: string, scheduledFor: number) =>
  client.post("/api/workspaces/{workspaceId}/publishing/posts/{postId}/schedule", { params: { workspaceId, postId }, body: { scheduledFor } }).then((r) => r.post);
export const cancelPost = (workspaceId: string, postId: string) => client.post("/api/workspaces/{workspaceId}/publishing/posts/{postId}/cancel", { params: { workspaceId, postId } }).then((r) => r.post);
export const retryPost = (workspaceId: string, postId: string) => client.post("/api/workspaces/{workspaceId}/publishing/posts/{postId}/retry", { params: { workspaceId, postId } }).then((r) => r.post);
export const deletePost = (workspaceId: string, postId: string) => client.delete("/api/workspaces/{workspaceId}/publishing/posts/{postId}", { params: { workspaceId, postId } });
/** Local mode only: publish what is due now. */
export const runDueNow = (workspaceId: string) => client.post("/api/workspaces/{workspaceId}/publishing/run-due", { params: { workspaceId } });

/** Multipart upload (the typed client sends JSON only). */
export async function uploadMedia(workspaceId: string, file: File): Promise<Media> {
  const form = new FormData();
  form.set("file", file);
  const res = await apiRaw(`/api/workspaces/${workspaceId}/publishing/media`, { method: "POST", body: form });
  return (await res.json()) as Media;
}
export const mediaPath = (workspaceId: string, mediaId: string) => `/api/workspaces/${workspaceId}/publishing/media/${mediaId}`;
