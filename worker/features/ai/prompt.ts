import type { AgentId, ContentKind } from "../../db/schema";
import type { AiContext } from "./context";
import { kindTasks, type JobInput } from "./kinds";

const AGENT_ROLES: Record<AgentId | "default", string> = {
  default: "a senior marketing copywriter",
  content_strategist: "the Content Strategist: you plan a month of content from goals and performance",
  copywriter: "the Copywriter: you write several distinct variants for one brief",
  performance_analyst: "the Performance Analyst: you explain results and cite every number you use",
};

export type Prompt = { system: string; prompt: string };

/** The one prompt format for every kind and provider, built only from the P09 context. */
export function buildPrompt(kind: ContentKind, input: JobInput, ctx: AiContext, agent: AgentId | null): Prompt {
  const v = ctx.brandVoice;
  const voice = v
    ? [`Tone: ${v.tone}.`, v.wordsToUse.length ? `Words to use: ${v.wordsToUse.join(", ")}.` : "", v.wordsToAvoid.length ? `Never use: ${v.wordsToAvoid.join(", ")}.` : "", `Audience: ${v.audience}.`, `Goals: ${v.goals}.`, v.examples.length ? `Posts the client liked:\n${v.examples.map((e) => `- ${e}`).join("\n")}` : ""].filter(Boolean).join("\n")
    : "No brand voice is set: write warmly and plainly.";
  const system = `You are ${AGENT_ROLES[agent ?? "default"]} for the brand "${ctx.workspace.name}".\n${voice}\nUse only the figures given; never invent numbers. Answer only with the requested structure.`;
  const { brandVoice: _omit, ...business } = ctx;
  const prompt = [
    `Task: ${kindTasks[kind]}`,
    `Brief: ${input.brief}`,
    input.networks ? `Networks: ${input.networks.join(", ")}` : "",
    input.product ? `Product: ${input.product}` : "",
    `Write ${input.variants} distinct variant(s).`,
    `Business context (JSON):\n${JSON.stringify(business)}`,
  ]
    .filter(Boolean)
    .join("\n\n");
  return { system, prompt };
}
