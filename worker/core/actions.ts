import type { Ctx } from "./context";

/**
 * The approval path's contract (issue 9): everything QWEB does outside itself on a user's behalf
 * is an action. `worker/features/actions/` owns the actions table, the state machine
 * (proposed → approved | rejected → scheduled → running → done | failed), approval policies,
 * autopilot with guardrails, the audit trail and revert. The features that reach a provider
 * (publishing, ads, email campaigns, inbox replies) register one executor per kind here, from
 * their `index.ts`, so the actions feature runs them without importing those features.
 */
export const actionKinds = ["publish_post", "send_campaign", "pause_campaign", "resume_campaign", "change_budget", "send_reply"] as const;
export type ActionKind = (typeof actionKinds)[number];

/** Plain JSON, as stored in the action's before/after/result columns. */
export type ActionJson = string | number | boolean | null | ActionJson[] | { [k: string]: ActionJson };

/** An action as an executor sees it (the row of `actions`, decoded). */
export type ActionRecord = {
  id: string;
  orgId: string;
  workspaceId: string;
  kind: ActionKind;
  /** What it acts on: e.g. { type: "post", id } or { type: "ad_campaign", id }. */
  subjectType: string;
  subjectId: string;
  /** What it will change: the state before and the state after (shown to approvers, used by revert). */
  before: ActionJson;
  after: ActionJson;
  /** The attempt the executor runs as: the same id on every retry, so provider calls can be idempotent. */
  attemptId: string;
  /** The user who proposed it, or null when an agent run did (then `agentRunId`). */
  proposedBy: string | null;
  agentRunId: string | null;
};

export type ActionOutcome =
  /** The provider did it; `result` is what it answered (ids, permalinks), shown in the trail. */
  | { ok: true; result: ActionJson }
  /** It failed; `retry` says whether running it again may succeed (rate limit, timeout). */
  | { ok: false; error: string; retry: boolean; retryAfterMs?: number; pending?: boolean };
// `pending`: nothing failed, the work waits its turn elsewhere (posts queued behind the fleet-wide
// publishing gate): the runner looks again after `retryAfterMs` and it costs the action no attempt.

export type ActionExecutor = {
  kind: ActionKind;
  /** Runs the action against the provider. Must be idempotent per `action.attemptId`. */
  execute(args: { ctx: Ctx; action: ActionRecord }): Promise<ActionOutcome>;
  /**
   * Optional: runs several due actions of one workspace together (one outcome per action, in
   * order), for kinds where that saves round trips (publishing a burst of posts due at once).
   */
  executeMany?(args: { ctx: Ctx; actions: ActionRecord[] }): Promise<ActionOutcome[]>;
  /**
   * Optional: the kind has a scheduler of its own (posts: the workspace's Publisher, whose alarm
   * fires them). When the action is approved (by a person or by autopilot), `arm` hands its work
   * straight to that scheduler for `dueAt`, so nothing waits on the runner at that instant; the
   * runner looks at the action only `graceMs` later, as the safety net (running the executor then
   * repeats nothing, it is idempotent). The scheduler must still only act while the action is
   * approved, scheduled or running (a cancelled one is not done), and it records the outcome.
   */
  handoff?: { graceMs: number; arm(args: { ctx: Ctx; action: ActionRecord; dueAt: number }): Promise<void> };
  /** Proposes nothing itself: returns the before/after of the action that undoes a done one (budget changes). */
  revert?(args: { ctx: Ctx; action: ActionRecord; result: ActionJson }): { before: ActionJson; after: ActionJson } | null;
  /**
   * Autopilot guardrail: null when the action is inside its kind's limits (it may run without a
   * person when autopilot is on), else the reason it must wait for a person.
   */
  guard?(args: { ctx: Ctx; action: ActionRecord; limits: Record<string, number> }): Promise<string | null>;
};

const executors = new Map<ActionKind, ActionExecutor>();

/** Called once per kind at module load, from the owning feature's index.ts. */
export function registerActionExecutor(executor: ActionExecutor) {
  executors.set(executor.kind, executor);
}

export function actionExecutor(kind: ActionKind): ActionExecutor | undefined {
  return executors.get(kind);
}
