// Who is signed in, which organization and workspace they are looking at, and their roles there.
import { createMemo, createRoot, createSignal } from "solid-js";
import { api, onUnauthorized, refreshSession, setAccessToken } from "./api";
import type { Me, OrgKind, OrgRole } from "./api/auth";
import type { Workspace, WorkspaceRole } from "./api/workspaces";
import { functionalPreference } from "../components/consent";

export type OrgChoice = { id: string; name: string; kind: OrgKind | null; role: OrgRole | "portal" };
type Status = "loading" | "anonymous" | "authenticated";

const ORG_KEY = "qweb.org";
const WS_KEY = "qweb.workspace";
// The selected organization and workspace are functional preferences: remembered across visits
// only with functional-cookie consent.
const read = functionalPreference.read;
const write = functionalPreference.write;

const hasSessionHint = () => document.cookie.split(/;\s*/).includes("qweb_session=1");

function createSession() {
  const [status, setStatus] = createSignal<Status>("loading");
  const [me, setMe] = createSignal<Me | null>(null);
  const [allWorkspaces, setAllWorkspaces] = createSignal<Workspace[]>([]);
  /** The list is paged by the API: the cursor of the next page, null when all are loaded. */
  const [workspacesCursor, setWorkspacesCursor] = createSignal<string | null>(null);
  const [orgPick, setOrgPick] = createSignal<string | null>(read(ORG_KEY));
  const [wsPick, setWsPick] = createSignal<string | null>(read(WS_KEY));

  // Organizations: those the user belongs to, plus those whose workspaces they reach as a portal
  // user. Portal organizations come from the workspace list (its orgId is authoritative); their
  // names from /api/me's portalWorkspaces when it has one for that organization.
  const orgs = createMemo<OrgChoice[]>(() => {
    const m = me();
    if (!m) return [];
    const list: OrgChoice[] = m.memberships.map((o) => ({ id: o.id, name: o.name, kind: o.kind, role: o.role }));
    for (const w of allWorkspaces()) {
      if (list.some((o) => o.id === w.orgId)) continue;
      const named = m.portalWorkspaces.find((p) => p.orgId === w.orgId && typeof p.orgName === "string" && p.orgName);
      list.push({ id: w.orgId, name: named?.orgName ?? "Client portal", kind: null, role: "portal" });
    }
    return list;
  });
  const org = createMemo(() => orgs().find((o) => o.id === orgPick()) ?? orgs()[0] ?? null);
  const workspaces = createMemo(() => allWorkspaces().filter((w) => w.orgId === org()?.id));
  const workspace = createMemo(() => workspaces().find((w) => w.id === wsPick()) ?? workspaces()[0] ?? null);
  /** Organization owners and admins manage the organization: workspaces, members, activity. */
  const isOrgAdmin = createMemo(() => org()?.role === "owner" || org()?.role === "admin");
  const isOrgMember = createMemo(() => !!org() && org()!.role !== "portal");

  type WorkspacePage = { workspaces: Workspace[]; nextCursor: string | null };
  const WORKSPACE_PAGE = "/api/workspaces?limit=200";

  async function load() {
    const [m, ws] = await Promise.all([api<Me>("/api/me"), api<WorkspacePage>(WORKSPACE_PAGE)]);
    setMe(m);
    setAllWorkspaces(ws.workspaces);
    setWorkspacesCursor(ws.nextCursor);
    setStatus("authenticated");
  }

  async function reloadWorkspaces() {
    const ws = await api<WorkspacePage>(WORKSPACE_PAGE);
    setAllWorkspaces(ws.workspaces);
    setWorkspacesCursor(ws.nextCursor);
  }

  async function loadMoreWorkspaces() {
    const cursor = workspacesCursor();
    if (!cursor) return;
    const ws = await api<WorkspacePage>(`${WORKSPACE_PAGE}&cursor=${encodeURIComponent(cursor)}`);
    setAllWorkspaces([...allWorkspaces(), ...ws.workspaces]);
    setWorkspacesCursor(ws.nextCursor);
  }

  async function reloadMe() {
    setMe(await api<Me>("/api/me"));
  }

  /**
   * On app start: the refresh cookie, if any, brings the session back. The refresh cookie is
   * HttpOnly; its readable twin (qweb_session, no secret) says whether one exists, so a
   * signed-out load asks nothing that is bound to fail.
   */
  async function restore() {
    try {
      if (hasSessionHint() && (await refreshSession())) return await load();
    } catch {}
    setStatus("anonymous");
  }

  /** After login, signup or an accepted invitation. */
  async function start(accessToken: string, focus?: { orgId?: string | null; workspaceId?: string | null }) {
    setAccessToken(accessToken);
    if (focus?.orgId) selectOrg(focus.orgId);
    if (focus?.workspaceId) selectWorkspace(focus.workspaceId);
    await load();
  }

  function clear() {
    setAccessToken(null);
    setMe(null);
    setAllWorkspaces([]);
    setStatus("anonymous");
  }

  async function signOut(everywhere = false) {
    try {
      await api(everywhere ? "/api/auth/logout-all" : "/api/auth/logout", { method: "POST" });
      if (everywhere) await api("/api/auth/logout", { method: "POST", auth: false }).catch(() => {});
    } catch {}
    clear();
  }

  function selectOrg(id: string) {
    setOrgPick(id);
    write(ORG_KEY, id);
  }
  function selectWorkspace(id: string) {
    setWsPick(id);
    write(WS_KEY, id);
  }

  onUnauthorized(() => {
    if (status() === "authenticated") clear();
  });

  const can = {
    /** Create workspaces, manage members and see the activity log. */
    manageOrg: isOrgAdmin,
    /** Rename a workspace, invite its portal users. */
    adminWorkspace: (role: WorkspaceRole | undefined) => role === "admin" || role === "org-admin",
    deleteWorkspace: (role: WorkspaceRole | undefined) => role === "org-admin",
    editContent: (role: WorkspaceRole | undefined) => !!role && role !== "viewer",
  };

  return {
    status, me, user: () => me()?.user ?? null, orgs, org, workspaces, workspace, allWorkspaces,
    isOrgAdmin, isOrgMember, can,
    restore, start, signOut, clear, reloadWorkspaces, loadMoreWorkspaces, hasMoreWorkspaces: () => workspacesCursor() !== null, reloadMe, selectOrg, selectWorkspace, setMe,
  };
}

export const session = createRoot(createSession);
