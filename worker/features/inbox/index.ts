export { inboxRoutes, orgInboxRoutes, workspaceInboxRoutes } from "./routes";
export { recordSyncError, syncStep, type SyncCursor } from "./sync";
export { sendReply, type ReplyInput, type ReplyOutcome } from "./reply";
export { MailboxNeedsReconnect } from "./tokens";
export { connectDemoMailbox, seedDemoMailboxes } from "./demo";
export { slaCron } from "./sla";
export { snoozeCron } from "./snooze";
export { seedDemoComments } from "./comments-demo";
import { registerReplyExecutor } from "./drafts-action";
import { registerCommentWebhook } from "./comments-routes";

registerReplyExecutor();
registerCommentWebhook();
