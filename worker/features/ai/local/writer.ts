import type { ContentKind } from "../../../db/schema/ai";
import type { AiContext } from "../context";
import { AD_LIMITS, EMAIL_LIMITS, NETWORK_LIMITS, type JobInput, type Network } from "../kinds";
import { fromMinor } from "../../../lib/money";

/** 32-bit FNV-1a: the same brief always gives the same copy. */
const seedOf = (s: string) => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
};
const pick = <T>(xs: readonly T[], n: number) => xs[n % xs.length]!;
const clip = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1).replace(/\s+\S*$/, "")}…`.slice(0, max));
const tag = (s: string) => `#${s.replace(/[^\p{L}\p{N}]+/gu, "")}`;
const money = (minor: number, currency: string | null) => (currency ? `${fromMinor(minor, currency)} ${currency}` : "no sales recorded");

/** Facts the copy is built from: the brief, the brand and its synced figures. */
function facts(ctx: AiContext, input: JobInput) {
  const brand = ctx.workspace.name || "our shop";
  const voice = ctx.brandVoice;
  const product = input.product ?? ctx.performance.topProducts[0]?.title ?? null;
  const topic = input.brief.replace(/[.!?]+$/, "");
  const use = voice?.wordsToUse ?? [];
  const channel = ctx.performance.bestChannel?.name ?? null;
  return { brand, product, topic, use, channel, audience: voice?.audience ?? "our customers", tone: voice?.tone ?? "warm" };
}

const openers = ["Fresh this week", "You asked, we listened", "Good news", "Just in", "This one's for you"];
const ctas = ["Tap the link to see more", "Come say hello", "Order yours today", "Book your spot now", "See what's new"];

function socialPost(ctx: AiContext, input: JobInput, v: number) {
  const f = facts(ctx, input);
  const seed = seedOf(input.brief) + v;
  const nets: Network[] = input.networks?.length ? input.networks : ["instagram", "facebook"];
  return {
    posts: nets.map((network) => {
      const lead = `${pick(openers, seed)} at ${f.brand}: ${f.topic}.`;
      const proof = f.product ? ` Our customers' favourite right now is ${f.product}.` : "";
      const words = f.use.length ? ` ${pick(f.use, seed)[0]!.toUpperCase()}${pick(f.use, seed).slice(1)}, always.` : "";
      const long = `${lead}${proof}${words} Made for ${f.audience}. ${pick(ctas, seed + 1)}.`;
      const text = network === "x" ? clip(`${lead}${proof} ${pick(ctas, seed + 1)}.`, NETWORK_LIMITS.x - 30) : network === "linkedin" ? `${long}\n\nWhat we learned: ${ctx.performance.bestChannel ? `most of you find us through ${f.channel}, so we're doubling down there.` : "small, steady improvements add up."}` : long;
      return { network, text: clip(text, NETWORK_LIMITS[network]), hashtags: [tag(f.brand), ...(f.product ? [tag(f.product)] : []), network === "linkedin" ? "#SmallBusiness" : "#ShopLocal"].slice(0, 5) };
    }),
  };
}

function adCopy(ctx: AiContext, input: JobInput, v: number) {
  const f = facts(ctx, input);
  const seed = seedOf(input.brief) + v;
  const subject = f.product ?? f.brand;
  return {
    meta: {
      primaryText: clip(`${pick(openers, seed)}: ${f.topic}. ${subject} from ${f.brand}, loved by ${f.audience}.`, AD_LIMITS.metaPrimaryText),
      headline: clip(`${subject} — ${pick(["order today", "made for you", "now in stock"], seed)}`, AD_LIMITS.metaHeadline),
      description: clip(pick(["Free returns", "Ships this week", "Limited batch"], seed), AD_LIMITS.metaDescription),
    },
    google: {
      headlines: [clip(subject, 30), clip(`${f.brand} Official Site`, 30), clip(pick(["Order Online Today", "New Season Is Here", "Loved By Locals"], seed), 30), clip(f.topic, 30)],
      descriptions: [clip(`${f.topic}. ${subject} from ${f.brand}.`, 90), clip(`${pick(ctas, seed)}. Made for ${f.audience}.`, 90)],
    },
  };
}

function emailCampaign(ctx: AiContext, input: JobInput, v: number) {
  const f = facts(ctx, input);
  const p = ctx.performance;
  const seed = seedOf(input.brief) + v;
  return {
    subjectLines: [clip(`${f.topic}`, EMAIL_LIMITS.subject), clip(`${pick(openers, seed)} at ${f.brand}`, EMAIL_LIMITS.subject), clip(f.product ? `Still thinking about ${f.product}?` : `A little something from ${f.brand}`, EMAIL_LIMITS.subject)],
    preheader: clip(`${f.topic} — and what ${f.audience} loved most last month.`, EMAIL_LIMITS.preheader),
    sections: [
      { heading: clip(f.topic, 120), body: `Hello! ${f.topic}. We wrote this one for ${f.audience}, in our own ${f.tone} way.` },
      {
        heading: "What everyone is choosing",
        body: p.topProducts.length ? `Your favourites lately: ${p.topProducts.map((t) => `${t.title} (${t.units} sold)`).join(", ")}.` : `Our team picked a few favourites for you this month.`,
      },
      { heading: "Why now", body: p.lastMonth.orders > 0 ? `In ${p.lastMonth.label} ${p.lastMonth.orders} orders came in. Thank you — this one is our way of saying so.` : "We're just getting started, and you're the first to know." },
    ],
    cta: { label: clip(pick(ctas, seed), 40), url: "https://example.com" },
  };
}

function image(ctx: AiContext, input: JobInput) {
  const f = facts(ctx, input);
  return {
    headline: clip(f.topic, 80),
    tagline: clip(f.product ? `${f.product} at ${f.brand}` : `Only at ${f.brand}`, 120),
    prompt: clip(`Brand card for ${f.brand}: "${f.topic}" on a gradient in the brand colours, ${f.tone} mood.`, 1000),
    altText: clip(`${f.brand} announcement: ${f.topic}`, 300),
  };
}

function nextMonth(now: number) {
  const d = new Date(now);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString().slice(0, 7);
}

function strategy(ctx: AiContext, input: JobInput, now: number) {
  const f = facts(ctx, input);
  const p = ctx.performance;
  const times = (ctx.patterns as { bestTimes?: { weekday: string; hour: number }[] } | null)?.bestTimes ?? [];
  const slot = times[0] ? `${times[0].weekday} around ${times[0].hour}:00` : "Tuesday and Thursday mornings";
  const themes = [f.product ? `Hero product: ${f.product}` : "Behind the scenes", p.bestChannel ? `Win on ${p.bestChannel.name}` : "Build the newsletter", "Community and reviews", input.brief ? clip(input.brief, 120) : "Seasonal moment"];
  const weeks = [1, 2, 3, 4].map((week) => ({
    week,
    focus: themes[(week - 1) % themes.length]!,
    posts: [
      { day: "Tue", network: "instagram", idea: `${themes[(week - 1) % themes.length]} — photo post, best slot ${slot}` },
      { day: "Thu", network: "facebook", idea: week === 2 && p.topProducts[1] ? `Spotlight on ${p.topProducts[1].title}` : `Customer story for ${f.audience}` },
      { day: "Sat", network: "linkedin", idea: `What we learned this week at ${f.brand}` },
    ],
  }));
  return {
    month: input.month ?? nextMonth(now),
    summary: `Goal: ${ctx.brandVoice?.goals ?? "grow repeat orders"}. Last month (${p.lastMonth.label}) brought ${p.lastMonth.orders} orders worth ${money(p.lastMonth.revenueMinor, p.lastMonth.currency)}${p.bestChannel ? `; ${p.bestChannel.name} sent the most visitors (${p.bestChannel.sessions} sessions in 90 days)` : ""}. Post when your audience is most active (${slot}).`,
    themes,
    weeks,
    tasks: ["Shoot photos for week 1", f.product ? `Collect three reviews of ${f.product}` : "Collect three customer reviews", "Schedule the newsletter for week 2", "Review results at month end"],
  };
}

function insight(ctx: AiContext) {
  const p = ctx.performance;
  const rev = money(p.lastMonth.revenueMinor, p.lastMonth.currency);
  const figuresUsed = [
    { name: `Revenue ${p.lastMonth.label}`, value: rev },
    { name: `Orders ${p.lastMonth.label}`, value: String(p.lastMonth.orders) },
    ...p.topProducts.map((t) => ({ name: `Revenue of ${t.title} (90 days)`, value: money(t.revenueMinor, p.lastMonth.currency) })),
    ...(p.bestChannel ? [{ name: `Sessions from ${p.bestChannel.name} (90 days)`, value: String(p.bestChannel.sessions) }] : []),
    ...(p.email.best ? [{ name: `Open rate of "${clip(p.email.best.name, 40)}"`, value: `${p.email.best.openRate}%` }] : []),
  ];
  const findings = [
    { title: "Sales last month", detail: `${p.lastMonth.orders} orders brought ${rev} in ${p.lastMonth.label}.`, figure: clip(rev, 60) },
    ...(p.topProducts[0] ? [{ title: "Best seller", detail: `${p.topProducts[0].title} sold ${p.topProducts[0].units} units in 90 days, the most revenue of any product.`, figure: clip(money(p.topProducts[0].revenueMinor, p.lastMonth.currency), 60) }] : []),
    ...(p.bestChannel ? [{ title: "Best channel", detail: `${p.bestChannel.name} brought the most visits.`, figure: `${p.bestChannel.sessions} sessions` }] : []),
    ...(p.email.best ? [{ title: "Best email", detail: `"${p.email.best.name}" opened by ${p.email.best.openRate}% and clicked by ${p.email.best.clickRate}% of recipients.`, figure: `${p.email.best.openRate}% opens` }] : []),
  ];
  return {
    summary: `${ctx.workspace.name}: ${p.lastMonth.orders} orders and ${rev} in ${p.lastMonth.label}.${p.topProducts[0] ? ` ${p.topProducts[0].title} leads sales.` : ""}${p.bestChannel ? ` ${p.bestChannel.name} is the strongest channel.` : ""}`,
    findings,
    recommendations: [p.topProducts[0] ? `Feature ${p.topProducts[0].title} in next week's posts and email.` : "Connect a shop to see which products lead.", p.bestChannel ? `Put more effort behind ${p.bestChannel.name}, where visitors already come from.` : "Connect Google Analytics to see where visitors come from.", "Repeat the subject style of your best-opened email."],
    figuresUsed,
  };
}

/** The local provider's writer: useful copy for every kind from the brand voice and synced figures. */
export function writeLocally(kind: ContentKind, ctx: AiContext, input: JobInput, variant: number, now: number): unknown {
  switch (kind) {
    case "social_post":
      return socialPost(ctx, input, variant);
    case "ad_copy":
      return adCopy(ctx, input, variant);
    case "email_campaign":
      return emailCampaign(ctx, input, variant);
    case "image":
      return image(ctx, input);
    case "strategy":
      return strategy(ctx, input, now);
    case "insight":
      return insight(ctx);
  }
}
