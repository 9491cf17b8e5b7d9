import { readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { defineConfig, type Plugin, type UserConfig } from "vite";
import solid from "vite-plugin-solid";

const outDir = path.join(import.meta.dirname, "..", "dist", "web");
const KEEP_OLD_ASSETS_MS = 60 * 60 * 1000;

/**
 * Route chunks are content-hashed, so a page loaded from the previous build keeps working if
 * that build's chunks stay a while (several developers and test runs rebuild this folder while
 * others' pages are open). Instead of emptying the folder, drop only assets older than an hour.
 */
function pruneOldAssets(): Plugin {
  return {
    name: "qweb-prune-old-assets",
    apply: "build",
    buildStart() {
      const dir = path.join(outDir, "assets");
      let names: string[] = [];
      try {
        names = readdirSync(dir);
      } catch {
        return;
      }
      const cutoff = Date.now() - KEEP_OLD_ASSETS_MS;
      for (const name of names) {
        const file = path.join(dir, name);
        try {
          if (statSync(file).mtimeMs < cutoff) rmSync(file, { force: true });
        } catch {}
      }
    },
  };
}

const config = {
  root: import.meta.dirname,
  plugins: [solid(), pruneOldAssets()],
  build: {
    outDir,
    emptyOutDir: false,
    target: "es2022",
    sourcemap: false,
  },
  server: { proxy: { "/api": "http://localhost:8787" } },
} satisfies UserConfig;

export default defineConfig(({ command }) => {
  // A build is always a production build, even when started from a test run (vitest sets
  // NODE_ENV=test, which would otherwise resolve Solid's development build into the bundle).
  if (command === "build") process.env.NODE_ENV = "production";
  return config;
});
