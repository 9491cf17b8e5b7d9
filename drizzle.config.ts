import { defineConfig } from "drizzle-kit";

// drizzle-kit writes exactly the folder wrangler applies (wrangler.toml migrations_dir).
export default defineConfig({
  dialect: "sqlite",
  schema: "./worker/db/schema/index.ts",
  out: "./migrations",
  casing: "snake_case",
});
