export * from "./accounts";
export * from "./tenancy";
export * from "./activity";
export * from "./email";
export * from "./privacy";
export * from "./integrations";
export * from "./finance";
export * from "./billing";
