// The content studio's and AI engine's API calls and types (one module per area of the web app).
import { api } from "../../lib/api";

export type Kind = "social_post" | "ad_copy" | "email_campaign" | "image" | "strategy" | "insight";
export type Status = "draft" | "in_review" | "approved" | "rejected" | "archived";
export type JobStep = { name: string; status: "done" | "failed"; at: number; detail?: string };
export type Job = {
  id: string; workspaceId: string; kind: Kind; agent: string | null; trigger: string; input: Record<string, unknown>; status: "queued" | "running" | "retrying" | "succeeded" | "failed" | "cancelled";
  progress: number; stage: string | null; steps: JobStep[]; attempts: number; error: string | null; contentIds: string[]; createdAt: number; startedAt: number | null; finishedAt: number | null;
};
export type ContentItem = { id: string; jobId: string; variant: number; kind: Kind; title: string; body: Record<string, any>; status: Status; provider: string; model: string; version: number; hasImage: boolean; createdAt: number; updatedAt: number };
export type ContentFull = ContentItem & { prompt: string; context: Record<string, unknown>; workspaceId: string };
export type Detail = {
  content: ContentFull;
  comments: { id: string; authorName: string | null; body: string; createdAt: number }[];
  approvals: { id: string; action: string; toStatus: string; actorRole: string | null; note: string | null; createdAt: number }[];
  approvers: string[];
  canApprove: boolean;
};
export type BrandVoice = { tone: string; wordsToUse: string[]; wordsToAvoid: string[]; audience: string; goals: string; examples: string[]; colors: [string, string]; timeZone?: string };

export const KIND_LABELS: Record<Kind, string> = { social_post: "Social post", ad_copy: "Ad copy", email_campaign: "Email campaign", image: "Image", strategy: "Monthly strategy", insight: "Performance insight" };
export const STATUS_LABELS: Record<Status, string> = { draft: "Draft", in_review: "In review", approved: "Approved", rejected: "Rejected", archived: "Archived" };
export const NETWORKS = ["instagram", "facebook", "linkedin", "x", "tiktok"] as const;

export const startJob = (workspaceId: string, kind: Kind, input: Record<string, unknown>, agent?: string) =>
  api<{ jobId: string }>(`/api/workspaces/${workspaceId}/ai/jobs`, { body: { kind, input, ...(agent ? { agent } : {}) } });
export const getJob = (id: string) => api<{ job: Job }>(`/api/ai/jobs/${id}`).then((r) => r.job);
export const cancelJob = (id: string) => api(`/api/ai/jobs/${id}/cancel`, { method: "POST" });
export const listJobs = (workspaceId: string, agents = false) => api<{ jobs: Job[] }>(`/api/workspaces/${workspaceId}/ai/jobs`, { query: { agents: agents ? "true" : undefined } }).then((r) => r.jobs);
export const listContent = (workspaceId: string, q: { kind?: string; status?: string; job?: string; q?: string } = {}) =>
  api<{ items: ContentItem[] }>(`/api/workspaces/${workspaceId}/content`, { query: q }).then((r) => r.items);
export const getContent = (id: string) => api<Detail>(`/api/content/${id}`);
export const editContent = (id: string, body: Record<string, unknown>, title?: string) => api<{ content: ContentFull }>(`/api/content/${id}`, { method: "PATCH", body: { body, ...(title ? { title } : {}) } });
export const sendForApproval = (id: string, note?: string) => api<{ notified: number }>(`/api/content/${id}/send-for-approval`, { body: note ? { note } : {} });
export const decide = (id: string, decision: "approve" | "reject", note?: string) => api<{ status: Status }>(`/api/content/${id}/decision`, { body: { decision, ...(note ? { note } : {}) } });
export const setStatus = (id: string, status: "draft" | "archived") => api(`/api/content/${id}/status`, { body: { status } });
export const comment = (id: string, body: string) => api(`/api/content/${id}/comments`, { body: { body } });
export const deleteContent = (id: string) => api(`/api/content/${id}`, { method: "DELETE" });
export const getVoice = (workspaceId: string) => api<{ voice: BrandVoice; saved: boolean }>(`/api/workspaces/${workspaceId}/ai/brand-voice`);
export const saveVoice = (workspaceId: string, voice: BrandVoice) => api(`/api/workspaces/${workspaceId}/ai/brand-voice`, { method: "PUT", body: voice });
export const getPatterns = (workspaceId: string) => api<{ patterns: any; computedAt: number; expiresAt: number }>(`/api/workspaces/${workspaceId}/ai/patterns`);
export const getApprovers = (workspaceId: string) => api<{ approvers: string[] }>(`/api/workspaces/${workspaceId}/approval-policies/content`).then((r) => r.approvers);
export const setApprovers = (workspaceId: string, approvers: string[]) => api(`/api/workspaces/${workspaceId}/approval-policies/content`, { method: "PUT", body: { approvers } });

/** Plain text of an item, for the clipboard. */
export function plainText(item: Pick<ContentItem, "kind" | "body">): string {
  const b = item.body;
  switch (item.kind) {
    case "social_post":
      return (b.posts ?? []).map((p: any) => `${p.network.toUpperCase()}\n${p.text}\n${(p.hashtags ?? []).join(" ")}`).join("\n\n");
    case "ad_copy":
      return `Meta\n${b.meta?.primaryText}\n${b.meta?.headline}\n${b.meta?.description}\n\nGoogle headlines\n${(b.google?.headlines ?? []).join("\n")}\n\nGoogle descriptions\n${(b.google?.descriptions ?? []).join("\n")}`;
    case "email_campaign":
      return `Subject: ${b.subjectLines?.[0]}\nPreheader: ${b.preheader}\n\n${(b.sections ?? []).map((s: any) => `${s.heading}\n${s.body}`).join("\n\n")}\n\n${b.cta?.label}: ${b.cta?.url}`;
    case "image":
      return `${b.headline}\n${b.tagline}\n\nAlt text: ${b.altText}`;
    case "strategy":
      return `${b.month}\n${b.summary}\n\n${(b.weeks ?? []).map((w: any) => `Week ${w.week}: ${w.focus}\n${w.posts.map((p: any) => `- ${p.day} ${p.network}: ${p.idea}`).join("\n")}`).join("\n\n")}`;
    case "insight":
      return `${b.summary}\n\n${(b.findings ?? []).map((f: any) => `${f.title} (${f.figure}): ${f.detail}`).join("\n")}\n\n${(b.recommendations ?? []).map((r: string) => `- ${r}`).join("\n")}`;
  }
}

export type Schedule = { id: string; agent: string; cadence: "weekly" | "monthly"; brief: string; nextRunAt: number };
export const listSchedules = (workspaceId: string) => api<{ schedules: Schedule[] }>(`/api/workspaces/${workspaceId}/ai/schedules`).then((r) => r.schedules);
export const addSchedule = (workspaceId: string, s: { agent: string; cadence: string; brief: string }) => api(`/api/workspaces/${workspaceId}/ai/schedules`, { body: s });
export const removeSchedule = (workspaceId: string, id: string) => api(`/api/workspaces/${workspaceId}/ai/schedules/${id}`, { method: "DELETE" });
