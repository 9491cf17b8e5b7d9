import { z } from "zod";

/** Card data never reaches QWEB (P07): the only input is which plan; unknown fields are refused. */
export const checkoutBody = z.strictObject({ plan: z.enum(["starter", "agency", "scale"]) });
