import { createContext, useContext } from "react";
import type { Api, User } from "../api/client";

/**
 * What every page needs: the API client, who is logged in, and whose environment is shown. A user
 * always sees their own; an admin picks any user's in the header (kept for the tab's session).
 */
export interface Shell {
  api: Api;
  me: User;
  /** The user whose processes and connections the canvas shows (and the lists filter on by default). */
  viewUserId: string;
  setViewUserId(id: string): void;
}

export const ShellContext = createContext<Shell | null>(null);

export function useShell(): Shell {
  const shell = useContext(ShellContext);
  if (!shell) {
    throw new Error("useShell outside the logged-in app");
  }
  return shell;
}

export const isAdmin = (user: User) => user.role === "admin";
