import { appFor } from "./app";
import { handleQueue } from "./queues";
import { handleScheduled } from "./cron";
import type { QueueMessage } from "./core/messages";

export { Throttle } from "../durable-objects/throttle";
export { WorkspaceSync } from "../durable-objects/workspace-sync";
export { PrivacyExport } from "../durable-objects/privacy-export";
export { Mailbox } from "../durable-objects/mailbox";
export { ActionRunner } from "../durable-objects/action-runner";
export { Publisher } from "../durable-objects/publisher";

export default {
  fetch: (request, env, ctx) => appFor(env).fetch(request, env, ctx),
  queue: (batch, env, ctx) => handleQueue(batch, env, ctx),
  scheduled: (controller, env) => handleScheduled(controller, env),
} satisfies ExportedHandler<Env, QueueMessage>;
