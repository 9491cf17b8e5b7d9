import { Validator } from "@seriousme/openapi-schema-validator";
import schema31 from "@seriousme/openapi-schema-validator/schemas/v3.1/schema.json";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

/**
 * @seriousme/openapi-schema-validator reads its meta-schemas with node:fs, which workerd does not
 * have; this hands it the 3.1 meta-schema through the bundler instead, compiled exactly as the
 * package does (Ajv 2020-12, ajv-formats, non-strict, the "media-range" format), then lets the
 * package's own validate() run (schema check + $ref check).
 */
export function openApi31Validator(): Validator {
  const validator = new Validator();
  const ajv = new Ajv2020({ strict: false });
  addFormats(ajv);
  ajv.addFormat("media-range", true);
  (validator as unknown as { ajvValidators: Record<string, unknown> }).ajvValidators["3.1"] = ajv.compile(schema31);
  return validator;
}
