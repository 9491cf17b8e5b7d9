import { DurableObject } from "cloudflare:workers";

/** One per workspace: serializes, schedules and resumes the syncs of its integrations. */
export class WorkspaceSync extends DurableObject<Env> {}
