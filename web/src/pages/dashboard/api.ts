// The dashboard pages' API: the typed module in lib/api (types generated from the OpenAPI document).
export * from "../../lib/api/dashboards";
