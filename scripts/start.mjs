// `npm start`: QWEB on http://localhost:8787 with demo data, fully offline.
import { startStack } from "./local-stack.mjs";

const stack = await startStack({ port: Number(process.env.PORT ?? 8787) });
const logins = stack.seeded?.logins ?? [];
console.log(`
  QWEB is running at http://localhost:${process.env.PORT ?? 8787}
  Sandbox providers: ${stack.sandboxUrl}
  Dev mailbox (local only): http://localhost:${process.env.PORT ?? 8787}/dev/mailbox

  Demo logins (password: ${stack.seeded?.password ?? "see DEMO_PASSWORD"}):
${logins.map((l) => `    ${l.email.padEnd(26)} ${l.role}`).join("\n")}

  Press Ctrl+C to stop.
`);
const stop = async () => {
  await stack.close();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
