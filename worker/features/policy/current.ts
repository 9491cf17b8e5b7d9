import { POLICY_TEXT } from "./text";

/** The policy version users accept at signup. The privacy issue moves versions into D1. */
export const CURRENT_POLICY = {
  version: "2026-03-01",
  effectiveDate: "2026-03-01",
  title: "Privacy Policy",
  text: POLICY_TEXT,
} as const;
