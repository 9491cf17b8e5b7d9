import type { z } from "zod";

type Issue = z.core.$ZodIssue;

/** "startsAt" → "Starts at"; the last named key of a path ("variants.0.text" → "Text"). */
function fieldName(path: PropertyKey[]): string | null {
  const key = [...path].reverse().find((p): p is string => typeof p === "string");
  if (!key) return null;
  const words = key.replace(/_/g, " ").replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const plural = (n: number | bigint, one: string) => `${n} ${one}${Number(n) === 1 ? "" : "s"}`;

// zod's own messages begin like this; a message a schema wrote itself is already a sentence.
const ZOD_DEFAULT = /^(Too small|Too big|Invalid input|Invalid option|Invalid (email address|URL|UUID|string)|Unrecognized keys?|Invalid$)/;

/**
 * The first problem of a request as a sentence a person can act on ("Name is required.",
 * "Email must be an email address."), instead of zod's "Too small: expected string to have >=1
 * characters". The full issue list stays in the error's `details` for developers.
 */
export function issueSentence(issue: Issue | undefined): string {
  if (!issue) return "The request is not valid.";
  if (!ZOD_DEFAULT.test(issue.message)) return /[.!?]$/.test(issue.message) ? issue.message : `${issue.message}.`;
  const field = fieldName(issue.path) ?? "The request";
  switch (issue.code) {
    case "too_small": {
      const min = issue.minimum;
      if (issue.origin === "string") return Number(min) <= 1 ? `${field} is required.` : `${field} must be at least ${plural(min, "character")}.`;
      if (issue.origin === "array" || issue.origin === "set") return `${field} needs at least ${plural(min, "item")}.`;
      return `${field} must be ${issue.inclusive ? "at least" : "more than"} ${min}.`;
    }
    case "too_big": {
      const max = issue.maximum;
      if (issue.origin === "string") return `${field} must be at most ${plural(max, "character")}.`;
      if (issue.origin === "array" || issue.origin === "set") return `${field} can have at most ${plural(max, "item")}.`;
      return `${field} must be ${issue.inclusive ? "at most" : "less than"} ${max}.`;
    }
    case "invalid_type":
      return /received undefined$/.test(issue.message) ? `${field} is required.` : `${field} must be ${/^[aeiou]/.test(issue.expected) ? "an" : "a"} ${issue.expected}.`;
    case "invalid_format":
      if (issue.format === "email") return `${field} must be an email address.`;
      if (issue.format === "url") return `${field} must be a web address (https://…).`;
      return `${field} is not in the expected format.`;
    case "invalid_value":
      return `${field} must be one of: ${issue.values.map(String).join(", ")}.`;
    case "unrecognized_keys":
      return `Unknown ${issue.keys.length === 1 ? "field" : "fields"}: ${issue.keys.join(", ")}.`;
    default:
      return `${field} is not valid.`;
  }
}
