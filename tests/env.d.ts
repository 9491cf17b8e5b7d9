import type { D1Migration } from "cloudflare:test";

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
      SANDBOX_SUPERVISOR_URL: string;
    }
  }
}
export {};
