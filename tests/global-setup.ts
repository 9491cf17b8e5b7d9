import type { TestProject } from "vitest/node";

/**
 * Runs in Node before the workerd tests: starts the sandbox providers on a free loopback port so
 * connectors talk real HTTP to them, and hands the URL to the Worker as SANDBOX_URL. A second,
 * restartable sandbox with a state file is started on demand through the supervisor.
 */
export default async function setup(project: TestProject) {
  const { startSandbox } = await import("../sandbox/server.ts");
  const { startSupervisor } = await import("../sandbox/supervisor.ts");
  const sandbox = await startSandbox({ port: 0 });
  const supervisor = await startSupervisor();
  project.provide("sandboxUrl", sandbox.url);
  project.provide("sandboxSupervisorUrl", supervisor.url);
  return async () => {
    await sandbox.close();
    await supervisor.close();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    sandboxUrl: string;
    sandboxSupervisorUrl: string;
  }
}
