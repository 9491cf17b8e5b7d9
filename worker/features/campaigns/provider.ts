// One shape over the Klaviyo and Mailchimp campaign writers, with the rate-limit retry and the
// mapping of provider errors to the API's (a refusal is the user's 4xx, an outage a 503).
import { ProviderError, backoffMs } from "../../connectors/http";
import * as kl from "../../connectors/klaviyo/campaign-writes";
import * as mc from "../../connectors/mailchimp/campaign-writes";
import type { ConnectorRuntime, Secrets } from "../../connectors/types";
import { ApiError } from "../../lib/errors";
import { openContext } from "../integrations";

export type Draft = { name: string; subject: string; preheader: string; fromName: string; replyTo: string; html: string; text: string; listId: string };
export type Ids = { campaignId: string; messageId: string | null; templateId: string | null };

export type CampaignOps = {
  provider: "klaviyo" | "mailchimp";
  lists(): Promise<{ id: string; name: string }[]>;
  create(d: Draft): Promise<Ids>;
  find(ref: string, since: number): Promise<Ids | null>;
  /** Puts the content at the provider; returns the new template id (Klaviyo) or null. */
  push(ids: Ids, d: Draft): Promise<string | null>;
  test(ids: Ids, emails: string[], d: Draft): Promise<void>;
  schedule(ids: Ids, at: number): Promise<void>;
  send(ids: Ids): Promise<void>;
  unschedule(ids: Ids): Promise<void>;
  /** Where the provider has the campaign now (after a lost answer, the truth). */
  status(ids: Ids): Promise<"draft" | "scheduled" | "sent" | "other">;
};

const LABEL = { klaviyo: "Klaviyo", mailchimp: "Mailchimp" } as const;
/** Longest wait for a rate limit inside one request; beyond it the caller gets 429 with the wait. */
const MAX_WAIT_MS = 5000;
const ATTEMPTS = 4;

/**
 * Runs one provider call, again after a rate limit (the provider refused it, so nothing happened).
 * Nothing else is retried here: a timeout may have done the work.
 */
export async function withRetry<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof ProviderError) || err.kind !== "rate-limited" || attempt >= ATTEMPTS - 1) throw err;
      const wait = err.opts.retryAfterMs ?? 250 + backoffMs(attempt, 500, 4000);
      if (wait > MAX_WAIT_MS) throw err;
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

export function toApiError(provider: "klaviyo" | "mailchimp", err: unknown): unknown {
  if (!(err instanceof ProviderError)) return err;
  const name = LABEL[provider];
  switch (err.kind) {
    case "permanent":
      return new ApiError("UNPROCESSABLE", `${name} refused: ${err.message}`, { details: { provider, status: err.opts.status ?? null } });
    case "unauthorized":
      return new ApiError("CONFLICT", `${name} refused QWEB's credentials; reconnect the account on the Integrations page`, { details: { provider } });
    case "rate-limited": {
      const seconds = Math.max(1, Math.ceil((err.opts.retryAfterMs ?? 1000) / 1000));
      return new ApiError("RATE_LIMITED", `${name} asked QWEB to slow down; try again in ${seconds} s`, { details: { provider, retryAfterSeconds: seconds }, headers: { "retry-after": String(seconds) } });
    }
    default:
      return new ApiError("UNAVAILABLE", `${name} did not answer (${err.message}); try again`, { details: { provider } });
  }
}

/** The writer for an integration, with its credentials opened for this call only. */
export async function opsFor(env: Env, integrationId: string): Promise<CampaignOps> {
  const sc = await openContext(env, integrationId);
  if (!sc || sc.unreadable) throw new ApiError("CONFLICT", "This email account needs to be reconnected before campaigns can be sent through it");
  const { rt, secrets, account } = sc;
  const provider = sc.integration.provider;
  const guard = <A extends unknown[], R>(f: (...a: A) => Promise<R>) => async (...a: A): Promise<R> => {
    try {
      return await withRetry(() => f(...a));
    } catch (err) {
      throw toApiError(provider as "klaviyo" | "mailchimp", err);
    }
  };
  if (provider === "klaviyo") return klaviyoOps(rt, secrets, guard);
  if (provider === "mailchimp") return mailchimpOps(rt, secrets, account, guard);
  throw new ApiError("UNPROCESSABLE", "Campaigns can be sent through Klaviyo or Mailchimp only");
}

type Guard = <A extends unknown[], R>(f: (...a: A) => Promise<R>) => (...a: A) => Promise<R>;

function klaviyoOps(rt: ConnectorRuntime, s: Secrets, g: Guard): CampaignOps {
  const messageOf = async (ids: Ids) => ids.messageId ?? (await kl.klaviyoMessageOf(rt, s, ids.campaignId));
  return {
    provider: "klaviyo",
    lists: g(() => kl.klaviyoLists(rt, s)),
    create: g(async (d: Draft) => ({ ...(await kl.createKlaviyoCampaign(rt, s, d)), templateId: null })),
    find: g(async (ref: string) => {
      const hit = await kl.findKlaviyoCampaign(rt, s, ref);
      return hit && { ...hit, templateId: null };
    }),
    push: g(async (ids: Ids, d: Draft) => {
      const messageId = await messageOf(ids);
      if (!messageId) throw new ProviderError("permanent", "the campaign has no email message", { provider: "klaviyo" });
      return kl.setKlaviyoContent(rt, s, { messageId }, d);
    }),
    test: g(async (ids: Ids, emails: string[], d: Draft) => {
      if (!ids.templateId) throw new ProviderError("permanent", "the campaign has no template yet", { provider: "klaviyo" });
      await kl.sendKlaviyoTest(rt, s, ids.templateId, emails, d);
    }),
    schedule: g((ids: Ids, at: number) => kl.sendKlaviyoCampaign(rt, s, ids.campaignId, at)),
    send: g((ids: Ids) => kl.sendKlaviyoCampaign(rt, s, ids.campaignId, null)),
    unschedule: g((ids: Ids) => kl.unscheduleKlaviyoCampaign(rt, s, ids.campaignId)),
    status: g(async (ids: Ids) => {
      const st = await kl.klaviyoCampaignStatus(rt, s, ids.campaignId);
      return st === "Draft" ? "draft" : st === "Scheduled" ? "scheduled" : st === "Sent" || st === "Sending" ? "sent" : "other";
    }),
  };
}

function mailchimpOps(rt: ConnectorRuntime, s: Secrets, account: Record<string, string>, g: Guard): CampaignOps {
  return {
    provider: "mailchimp",
    lists: g(() => mc.mailchimpLists(rt, s, account)),
    create: g(async (d: Draft) => ({ campaignId: await mc.createMailchimpCampaign(rt, s, account, d), messageId: null, templateId: null })),
    find: g(async (ref: string, since: number) => {
      const id = await mc.findMailchimpCampaign(rt, s, account, ref, since);
      return id ? { campaignId: id, messageId: null, templateId: null } : null;
    }),
    push: g(async (ids: Ids, d: Draft) => {
      await mc.setMailchimpContent(rt, s, account, ids.campaignId, d);
      return null;
    }),
    test: g(async (ids: Ids, emails: string[]) => {
      await mc.sendMailchimpTest(rt, s, account, ids.campaignId, emails);
    }),
    schedule: g(async (ids: Ids, at: number) => {
      await mc.scheduleMailchimpCampaign(rt, s, account, ids.campaignId, at);
    }),
    send: g(async (ids: Ids) => {
      await mc.sendMailchimpCampaign(rt, s, account, ids.campaignId);
    }),
    unschedule: g(async (ids: Ids) => {
      await mc.unscheduleMailchimpCampaign(rt, s, account, ids.campaignId);
    }),
    status: g(async (ids: Ids) => {
      const st = await mc.mailchimpCampaignStatus(rt, s, account, ids.campaignId);
      return st === "save" || st === "paused" ? "draft" : st === "schedule" ? "scheduled" : st === "sent" || st === "sending" ? "sent" : "other";
    }),
  };
}
