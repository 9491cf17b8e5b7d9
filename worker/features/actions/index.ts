// The approval path: actions, their state machine, approvals by policy, autopilot with guardrails, revert.
export { actionRoutes, orgActionRoutes } from "./routes";
export { proposeAction, insertProposal, approveAction, rejectAction, cancelAction, revertAction, doneActionsOf, kindSettings, type ProposeInput } from "./service";
export { runAction, runDueActions, kickRunner, settleActions, wakeActions } from "./runner";
export { actionView, type ActionView } from "./schemas";
