import type { TestProject } from "vitest/node";

/**
 * Runs in Node before the workerd tests: starts the sandbox providers on a free loopback port so
 * connectors talk real HTTP to them, and hands the URL to the Worker as SANDBOX_URL.
 */
export default async function setup(project: TestProject) {
  const { startSandbox } = await import("../sandbox/server.ts");
  const sandbox = await startSandbox({ port: 0 });
  project.provide("sandboxUrl", sandbox.url);
  return async () => sandbox.close();
}

declare module "vitest" {
  export interface ProvidedContext {
    sandboxUrl: string;
  }
}
