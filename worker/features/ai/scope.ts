/** The organization and workspace an AI read or write belongs to. */
export type Scope = { orgId: string; workspaceId: string };
