// No cycles between folders. The Worker's root files sit outside the folder graph: app.ts and
// index.ts import everything and nothing imports them, env.ts imports nothing (both checked in
// .dependency-cruiser.cjs), so they cannot close a cycle, yet as the folder "worker" they would.
const base = require("./.dependency-cruiser.cjs");

/** @type {import("dependency-cruiser").IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-folder-cycles",
      severity: "error",
      comment: "Folders depend one way: routes → services → core, db, lib, connectors.",
      scope: "folder",
      from: {},
      to: { circular: true },
    },
  ],
  options: { ...base.options, exclude: { path: ["worker-configuration\\.d\\.ts$", "^worker/[^/]+\\.ts$"] } },
};
