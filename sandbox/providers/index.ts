import type { ProviderModule } from "../lib.ts";

/** Every sandbox provider; each lives in its own file and adds itself here. */
export const providers: ProviderModule[] = [];
