import { z } from "zod";

// An empty value (a blank line in .dev.vars, `--var X:`) means unset.
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" ? undefined : v), schema.optional());

/**
 * Every var (wrangler.toml) and secret (.dev.vars.example), validated once per isolate (see
 * `readConfig`). Code reads these from `ctx.config` / `readConfig(env)`, never from `env` itself.
 */
const configSchema = z.object({
  // vars
  APP_ENV: z.enum(["development", "test", "production"]).default("production"),
  APP_URL: z.url(),
  JWT_ISSUER: z.string().min(1),
  JWT_AUDIENCE: z.string().min(1),
  EMAIL_FROM: z.string().min(3),
  /** Where connectors reach the sandbox providers outside production. */
  SANDBOX_URL: optional(z.url()),
  /** The queue names the consumers are configured with: the dispatcher picks a consumer by them (defaults = worker/lib/queues.ts, checked by tests/lib/queues.test.ts; env.ts imports nothing of ours). */
  OUTBOUND_EMAIL_QUEUE: z.string().min(1).default("outbound-email"),
  OUTBOUND_EMAIL_DLQ: z.string().min(1).default("outbound-email-dlq"),
  /** Workspaces an organization may have (plans will set it per organization later). */
  MAX_WORKSPACES_PER_ORG: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().positive().default(1000)),
  GOOGLE_ADS_API_VERSION: z.string().regex(/^v\d+$/).default("v23"),
  /** A report PDF larger than this is linked, not attached (Resend takes up to 40 MB per email after base64). */
  REPORT_ATTACHMENT_MAX_BYTES: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().positive().default(5_000_000)),
  PROVIDER_TIMEOUT_MS: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().positive().default(20_000)),
  /** The team inbox's first sync of a mailbox: at most this many messages of the last INBOX_INITIAL_DAYS days (the benchmark lifts both). */
  INBOX_INITIAL_MAX: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().positive().default(300)),
  INBOX_INITIAL_DAYS: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().positive().max(3650).default(90)),
  /** iCloud Mail's IMAP and SMTP submission servers: host:port and the socket's TLS mode (off | on | starttls). */
  ICLOUD_IMAP_ENDPOINT: z.string().regex(/^[\w.-]+:\d+$/).default("imap.mail.me.com:993"),
  ICLOUD_IMAP_TLS: z.enum(["off", "on", "starttls"]).default("on"),
  ICLOUD_SMTP_ENDPOINT: z.string().regex(/^[\w.-]+:\d+$/).default("smtp.mail.me.com:587"),
  ICLOUD_SMTP_TLS: z.enum(["off", "on", "starttls"]).default("starttls"),
  // secrets
  JWT_SECRET: z.string().min(32, "JWT_SECRET must be at least 32 characters"),
  VAULT_KEYS: optional(z.string()),
  RESEND_API_KEY: optional(z.string()),
  DEMO_PASSWORD: optional(z.string()),
  SHOPIFY_CLIENT_ID: optional(z.string()),
  SHOPIFY_CLIENT_SECRET: optional(z.string()),
  GOOGLE_CLIENT_ID: optional(z.string()),
  GOOGLE_CLIENT_SECRET: optional(z.string()),
  MAILCHIMP_CLIENT_ID: optional(z.string()),
  MAILCHIMP_CLIENT_SECRET: optional(z.string()),
  /** The Google Ads API developer token (the sandbox accepts its own when this is unset). */
  GOOGLE_ADS_DEVELOPER_TOKEN: optional(z.string()),
  MICROSOFT_CLIENT_ID: optional(z.string()),
  MICROSOFT_CLIENT_SECRET: optional(z.string()),
  META_CLIENT_ID: optional(z.string()),
  META_CLIENT_SECRET: optional(z.string()),
  /** The verify token typed into the Meta app's webhook settings (GET hub.challenge handshake). */
  META_WEBHOOK_VERIFY_TOKEN: optional(z.string()),
  // AI providers for organizations without a key of their own (unset: the built-in local provider).
  ANTHROPIC_API_KEY: optional(z.string()),
  OPENAI_API_KEY: optional(z.string()),
  GEMINI_API_KEY: optional(z.string()),
  /** QWEB's own Stripe account (subscriptions); unset locally: the Stripe sandbox. */
  STRIPE_SECRET_KEY: optional(z.string().regex(/^(sk|rk)_(test|live)_/)),
  STRIPE_WEBHOOK_SECRET: optional(z.string().startsWith("whsec_")),
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
