import { defineConfig } from "vitest/config";
import TourFirst from "./sequencer.ts";

// Browser tests run in Node and drive Debian's Chromium against the app as `npm start` serves it.
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ["**/*.e2e.ts"],
    globalSetup: ["./global-setup.ts"],
    // Two files at a time: they share one app start (global setup) and keep to their own
    // workspaces, users and sandbox records; the only fault injection (dashboards) is scoped to
    // one integration's key. Sign-ins all come from 127.0.0.1, within the login throttle's budget.
    fileParallelism: true,
    maxWorkers: 2,
    sequence: { sequencer: TourFirst },
    // describe.concurrent blocks (the read-only tour) run this many tests at once.
    maxConcurrency: 3,
    testTimeout: 90_000,
    hookTimeout: 180_000,
  },
});
