import type { Component } from "solid-js";
import type { IconName } from "../ui/Icon";
import type { session } from "../lib/session";

export type NavSection = "Marketing" | "Manage" | "You" | "Platform";

/** One page inside the signed-in app shell: its URL, its place in the sidebar and its component. */
export type AppPage = {
  path: string;
  label: string;
  icon: IconName;
  section: NavSection;
  component: Component;
  /** Shown as "Soon" in the navigation. */
  soon?: boolean;
  /** Hide the link (the route still answers) unless this returns true. */
  visible?: (s: typeof session) => boolean;
  /** The agency team's own page: a portal user who opens its address is told so instead of meeting an error. */
  team?: boolean;
};

export const NAV_SECTIONS: NavSection[] = ["Marketing", "Manage", "You", "Platform"];
