import { describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { readConfig } from "../../worker/env";
import { buildRuntime, oauthAppOf } from "../../worker/connectors/runtime";

const withVars = (vars: Record<string, string>) => ({ ...env, ...vars }) as Env;

describe("configuration: every var and secret parsed once, at the entry", () => {
  it("reads the provider timeout and sandbox URL as typed values", () => {
    const config = readConfig(withVars({ PROVIDER_TIMEOUT_MS: "1500", SANDBOX_URL: "http://127.0.0.1:9999/" }));
    expect(config.PROVIDER_TIMEOUT_MS).toBe(1500);
    expect(buildRuntime(withVars({ PROVIDER_TIMEOUT_MS: "1500", SANDBOX_URL: "http://127.0.0.1:9999/" }), "shopify")).toMatchObject({
      timeoutMs: 1500,
      sandboxUrl: "http://127.0.0.1:9999",
    });
  });

  it("refuses a malformed var by name instead of falling back silently", () => {
    expect(() => readConfig(withVars({ PROVIDER_TIMEOUT_MS: "soon" }))).toThrow(/PROVIDER_TIMEOUT_MS/);
    expect(() => readConfig(withVars({ SANDBOX_URL: "not a url" }))).toThrow(/SANDBOX_URL/);
  });

  it("treats a blank secret as unset: without OAuth app secrets the sandbox app is used outside production, none in production", () => {
    const blank = { SHOPIFY_CLIENT_ID: "", SHOPIFY_CLIENT_SECRET: "" };
    expect(readConfig(withVars(blank)).SHOPIFY_CLIENT_ID).toBeUndefined();
    expect(oauthAppOf(withVars(blank), "shopify")?.clientId).toBe("qweb-sandbox-client");
    expect(oauthAppOf(withVars({ ...blank, APP_ENV: "production" }), "shopify")).toBeNull();
    expect(oauthAppOf(withVars({ SHOPIFY_CLIENT_ID: "id-1", SHOPIFY_CLIENT_SECRET: "s-1" }), "shopify")).toMatchObject({ clientId: "id-1", clientSecret: "s-1" });
  });
});
