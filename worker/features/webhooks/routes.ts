import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../core/context";
import { ApiError, notFound } from "../../lib/errors";
import { doc, targetParam, validate } from "../../lib/validate";
import { appParam, hookParam, okView, receivedView } from "./schemas";
import { getConnector } from "../../connectors";
import { metaVerifyToken, oauthAppOf } from "../../connectors/runtime";
import { receiveWebhook } from "./service";

const tags = ["webhooks"];

/**
 * Provider webhooks (public; authenticated by their signature on the raw body, checked before
 * anything is parsed or stored). Invalid signature → 401 and nothing stored.
 */
export const webhookRoutes = new Hono<AppEnv>()
  .get(
    "/:provider",
    doc({ summary: "Subscription handshake (Meta: hub.mode=subscribe, hub.verify_token, hub.challenge echoed as text)", tags, public: true, media: "text/plain" }),
    validate("param", appParam),
    (c) => {
      const connector = getConnector(c.req.valid("param").provider);
      const verifyToken = connector?.id === "meta" ? metaVerifyToken(c.env) : null;
      if (!connector?.webhook?.handshake || !verifyToken) throw notFound("Webhook");
      const challenge = connector.webhook.handshake({ url: new URL(c.req.url), verifyToken });
      if (challenge === null) throw new ApiError("FORBIDDEN", "Webhook verify token mismatch");
      return c.text(challenge, 200);
    },
  )
  .post(
    "/:provider",
    doc({ summary: "App-level webhook (signed with the OAuth app's secret, e.g. Shopify)", tags, public: true, response: receivedView, activity: { action: "webhook.receive", target: targetParam("provider", "provider") } }),
    validate("param", appParam),
    async (c) => {
      const connector = getConnector(c.req.valid("param").provider);
      const app = connector && oauthAppOf(c.env, connector.id);
      if (!connector?.webhook || !app) throw notFound("Webhook");
      return c.json(await receiveWebhook(c.env, c.var.db, connector, c.req.raw, { secret: app.clientSecret }));
    },
  )
  .get(
    "/:provider/:integrationId",
    doc({ summary: "Webhook URL check some providers make when it is saved (Mailchimp)", tags, public: true, response: okView }),
    validate("param", hookParam),
    (c) => c.json({ ok: true }),
  )
  .post(
    "/:provider/:integrationId",
    doc({ summary: "Per-integration webhook (signed with the integration's own webhook secret)", tags, public: true, response: receivedView, activity: { action: "webhook.receive", target: targetParam("provider", "provider") } }),
    validate("param", hookParam),
    async (c) => {
      const { provider, integrationId } = c.req.valid("param");
      const connector = getConnector(provider);
      if (!connector?.webhook) throw notFound("Webhook");
      return c.json(await receiveWebhook(c.env, c.var.db, connector, c.req.raw, { integrationId }));
    },
  );
