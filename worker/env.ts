import { z } from "zod";

/** Vars and secrets, validated once per isolate (see `readConfig`). */
const configSchema = z.object({
  APP_ENV: z.enum(["development", "test", "production"]).default("production"),
  APP_URL: z.url(),
  JWT_ISSUER: z.string().min(1),
  JWT_AUDIENCE: z.string().min(1),
  JWT_SECRET: z.string().min(32, "JWT_SECRET must be at least 32 characters"),
  EMAIL_FROM: z.string().min(3),
  RESEND_API_KEY: z.string().optional(),
  VAULT_KEYS: z.string().optional(),
});
export type Config = z.infer<typeof configSchema>;

let cached: { source: Env; config: Config } | undefined;

export function readConfig(env: Env): Config {
  if (cached?.source === env) return cached.config;
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join(".")).join(", ");
    throw new Error(`Invalid configuration: ${fields}`);
  }
  cached = { source: env, config: parsed.data };
  return parsed.data;
}

export const isLocal = (config: Config) => config.APP_ENV !== "production";
