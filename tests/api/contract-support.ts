import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { expect } from "vitest";
import { call, type CallOptions } from "../support/harness";

type Doc = { paths: Record<string, Record<string, any>>; components: Record<string, any> };

/**
 * Calls the API and checks each JSON answer against the schema /api/openapi.json documents for
 * its route and status (4XX/5XX: the common error shape), so the documented contract cannot
 * drift from what the handlers return.
 */
export async function contractChecker() {
  const doc = (await call("GET", "/api/openapi.json")).json as Doc;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: "qweb-doc", components: doc.components });
  const routes = Object.keys(doc.paths).map((template) => ({
    template,
    // Literal segments outrank parameters (/exports/{jobId} vs /exports/{jobId}/download need no ranking; /users vs /{id} might).
    pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`),
    params: (template.match(/\{/g) ?? []).length,
  })).sort((a, b) => a.params - b.params);
  const checked = new Set<string>();
  const compile = (schema: unknown) => ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"qweb-doc#/components/')));
  /** The documented JSON schema of one operation's status; undefined when none is documented. */
  const schemaOf = (method: string, template: string, status: number) => {
    const response = doc.paths[template]?.[method.toLowerCase()]?.responses[String(status)];
    return response?.content?.["application/json"]?.schema;
  };

  async function checkedCall(method: string, path: string, opts: CallOptions = {}) {
    const res = await call(method, path, opts);
    const route = routes.find((r) => r.pattern.test(path.split("?")[0]!));
    expect(route, `${method} ${path} matches no documented path`).toBeDefined();
    const op = doc.paths[route!.template]![method.toLowerCase()];
    expect(op, `${method} ${route!.template} is not documented`).toBeDefined();
    const response = op.responses[String(res.status)] ?? op.responses[`${String(res.status)[0]}XX`];
    expect(response, `${method} ${path} answered ${res.status}, which is not documented: ${res.text.slice(0, 300)}`).toBeDefined();
    const resolved = response.$ref ? doc.components.responses[response.$ref.split("/").pop()] : response;
    const type = res.headers.get("content-type") ?? "";
    if (type.includes("application/json") && res.text) {
      const schema = resolved.content?.["application/json"]?.schema;
      expect(schema, `${method} ${path} (${res.status}) answered JSON without a documented schema`).toBeDefined();
      const validate = compile(schema);
      const ok = validate(res.json);
      expect(ok, `${method} ${path} (${res.status}) does not match its documented schema: ${ajv.errorsText(validate.errors)}\n${res.text.slice(0, 600)}`).toBe(true);
    } else if (res.text) {
      expect(Object.keys(resolved.content ?? {}), `${method} ${path} answered ${type} without documenting it`).toContain(type.split(";")[0]);
    }
    checked.add(`${method.toLowerCase()} ${route!.template}`);
    return res;
  }
  return { call: checkedCall, checked, doc, schemaOf, compile };
}
