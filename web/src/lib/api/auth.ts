import { client, type BodyOf, type ResponseOf } from "./client";

export type Me = ResponseOf<"/api/me", "get">;
export type User = Me["user"];
export type Membership = Me["memberships"][number];
export type PortalWorkspace = Me["portalWorkspaces"][number];
export type OrgRole = Membership["role"];
export type OrgKind = Membership["kind"];
export type PortalRole = PortalWorkspace["role"];
export type Session = ResponseOf<"/api/auth/sessions", "get">["sessions"][number];

export const getMe = () => client.get("/api/me");
export const updateMe = (body: BodyOf<"/api/me", "patch">) => client.patch("/api/me", { body });
export const login = (body: BodyOf<"/api/auth/login", "post">) => client.post("/api/auth/login", { body, auth: false });
export const signup = (body: BodyOf<"/api/auth/signup", "post">) => client.post("/api/auth/signup", { body, auth: false });
export const logout = () => client.post("/api/auth/logout");
export const logoutAll = () => client.post("/api/auth/logout-all");
export const listSessions = () => client.get("/api/auth/sessions");
export const changePassword = (body: BodyOf<"/api/auth/password", "post">) => client.post("/api/auth/password", { body });
