import { client, type ResponseOf } from "./client";

export type Policy = ResponseOf<"/api/policy", "get">;
export type PolicyText = ResponseOf<"/api/policy/text", "get">;
export type PolicyVersion = ResponseOf<"/api/policy/versions", "get">["versions"][number];

export const policyInForce = () => client.get("/api/policy", { auth: false });
export const policyText = () => client.get("/api/policy/text", { auth: false });
export const policyVersions = () => client.get("/api/policy/versions", { auth: false });
