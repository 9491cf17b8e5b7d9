import type { ProviderModule } from "../lib.ts";
import { ga4 } from "./ga4.ts";
import { gmail } from "./gmail.ts";
import { klaviyo } from "./klaviyo.ts";
import { mailchimp } from "./mailchimp.ts";
import { meta } from "./meta.ts";
import { google } from "./google.ts";
import { googleAds } from "./google-ads.ts";
import { shopify } from "./shopify.ts";
import { woocommerce } from "./woocommerce.ts";
import { resend } from "./resend.ts";
import { aiControl } from "./ai.ts";
import { anthropic } from "./anthropic.ts";
import { gemini } from "./gemini.ts";
import { openai } from "./openai.ts";
import { outlook } from "./outlook.ts";
import { icloud } from "./icloud.ts";
import { stripe } from "./stripe.ts";

/** Every sandbox provider; each lives in its own file and adds itself here. */
export const providers: ProviderModule[] = [google, ga4, gmail, googleAds, klaviyo, mailchimp, meta, shopify, woocommerce, resend, anthropic, openai, gemini, aiControl, stripe, outlook, icloud];
