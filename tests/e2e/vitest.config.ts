import { defineConfig } from "vitest/config";

// Browser tests run in Node and drive Debian's Chromium against the app as `npm start` serves it.
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ["**/*.e2e.ts"],
    globalSetup: ["./global-setup.ts"],
    fileParallelism: false,
    // describe.concurrent blocks (the read-only tour) run this many tests at once.
    maxConcurrency: 3,
    testTimeout: 90_000,
    hookTimeout: 180_000,
  },
});
