// The approval path's public surface (content review today; the publishing issue adds actions).
export { approverRoleOf, approversFor, mayApprove, auditStatement, auditTrail, setApprovers, DEFAULT_APPROVERS } from "./policy";
export { approvalPolicyRoutes } from "./routes";
