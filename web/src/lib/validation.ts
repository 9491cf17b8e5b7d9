// Client-side checks mirroring the server's zod schemas, so mistakes show before a round trip.
export const MIN_PASSWORD = 12;
export const MAX_PASSWORD = 128;

export const required = (v: string, label: string) => (v.trim() ? undefined : `${label} is required`);

export function emailError(v: string) {
  if (!v.trim()) return "Email is required";
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim()) ? undefined : "Enter a valid email address";
}

export function passwordError(v: string) {
  if (!v) return "Password is required";
  if (v.length < MIN_PASSWORD) return `Password must be at least ${MIN_PASSWORD} characters`;
  if (v.length > MAX_PASSWORD) return `Password must be at most ${MAX_PASSWORD} characters`;
  return undefined;
}

/** Age in whole years on `today` for a YYYY-MM-DD birth date, or null when it is not a date. */
export function ageOn(birthDate: string, today = new Date()): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  let age = today.getFullYear() - y;
  if (today.getMonth() + 1 < mo || (today.getMonth() + 1 === mo && today.getDate() < d)) age--;
  return age;
}

export function birthDateError(v: string) {
  if (!v) return "Birth date is required";
  const age = ageOn(v);
  if (age === null || age > 130) return "Enter a valid date";
  if (age < 0) return "Birth date cannot be in the future";
  if (age < 16) return "You must be at least 16 years old to use QWEB";
  return undefined;
}
