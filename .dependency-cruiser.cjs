// Import rules of the architecture (docs/CONVENTIONS.md): `npm run lint:deps`, part of `npm test -- static`.
// Folder cycles are checked by .dependency-cruiser-folders.cjs.
/** @type {import("dependency-cruiser").IConfiguration} */
module.exports = {
  forbidden: [
    { name: "no-circular", severity: "error", comment: "No import cycles, type-only ones included.", from: {}, to: { circular: true } },
    {
      name: "env-is-a-leaf",
      severity: "error",
      comment: "worker/env.ts parses config and imports nothing of ours, so everything may import it.",
      from: { path: "^worker/env\\.ts$" },
      to: { path: "^(worker|durable-objects|web)/" },
    },
    {
      name: "entry-is-not-imported",
      severity: "error",
      from: { path: "^(worker|durable-objects)/", pathNot: "^worker/index\\.ts$" },
      to: { path: "^worker/(app|index)\\.ts$" },
    },
    {
      name: "feature-through-index",
      severity: "error",
      comment: "A feature imports another only through its index.ts.",
      from: { path: "^worker/features/([^/]+)/" },
      to: { path: "^worker/features/[^/]+/.", pathNot: ["^worker/features/$1/", "^worker/features/[^/]+/index\\.ts$"] },
    },
    {
      name: "outside-through-index",
      severity: "error",
      comment: "durable-objects/, queues/, cron/, middleware/, core/ and app.ts reach a feature only through its index.ts.",
      from: { path: "^(worker|durable-objects)/", pathNot: "^worker/features/" },
      to: { path: "^worker/features/[^/]+/.", pathNot: "^worker/features/[^/]+/index\\.ts$" },
    },
    {
      name: "lower-layers-not-features",
      severity: "error",
      comment: "lib/, db/ and connectors/ never import features/.",
      from: { path: "^worker/(lib|db|connectors)/" },
      to: { path: "^worker/features/" },
    },
    {
      name: "core-not-features",
      severity: "error",
      comment: "core/ is what features share; it never reaches back into one.",
      from: { path: "^worker/core/" },
      to: { path: "^worker/features/" },
    },
    {
      name: "web-not-worker",
      severity: "error",
      comment: "The web app imports nothing of the Worker; the API contract reaches it as generated types.",
      from: { path: "^web/" },
      to: { path: "^(worker|durable-objects|sandbox)/" },
    },
    {
      name: "web-contract-type-only",
      severity: "error",
      from: { path: "^web/" },
      to: { path: "^web/src/lib/api-types\\.gen\\.ts$", dependencyTypesNot: ["type-only"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "worker-configuration\\.d\\.ts$" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".tsx", ".js", ".mjs"] },
  },
};
