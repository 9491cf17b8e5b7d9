import path from "node:path";
import { defineConfig, type UserConfig } from "vite";
import solid from "vite-plugin-solid";

const config = {
  root: import.meta.dirname,
  plugins: [solid()],
  build: {
    outDir: path.join(import.meta.dirname, "..", "dist", "web"),
    emptyOutDir: true,
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
