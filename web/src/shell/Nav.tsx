import { useEffect, useState } from "react";
import { all, data, type User } from "../api/client";
import { isAdmin, useShell } from "./context";
import { href, type Page } from "./route";

const LINKS: { page: Page; label: string; admin?: boolean }[] = [
  { page: "canvas", label: "Canvas" },
  { page: "services", label: "Services" },
  { page: "processes", label: "Processes" },
  { page: "connections", label: "Connections" },
  { page: "nodes", label: "Nodes" },
  { page: "pools", label: "Node pools" },
  { page: "users", label: "Users", admin: true },
  { page: "changes", label: "Pending changes" },
];

/** The pages, as links (so they work with the keyboard, a middle click and the back button). */
export function Nav({ current }: { current: Page }) {
  const { me } = useShell();
  return (
    <nav className="nav" aria-label="Pages">
      {LINKS.filter((l) => !l.admin || isAdmin(me)).map((l) => (
        <a key={l.page} href={href(l.page)} aria-current={current === l.page || (current === "logs" && l.page === "processes") ? "page" : undefined}>
          {l.label}
        </a>
      ))}
    </nav>
  );
}

/** An admin's choice of whose environment to look at; nothing for a user, who only has their own. */
export function EnvironmentSwitch() {
  const { api, me, viewUserId, setViewUserId } = useShell();
  const [users, setUsers] = useState<User[]>([me]);
  const admin = isAdmin(me);
  useEffect(() => {
    if (!admin) {
      return;
    }
    let current = true;
    all((offset, limit) => data(api.GET("/user", { params: { query: { offset, limit, sort: "name" } } })))
      .then((list) => current && setUsers(list), () => { /* the own environment stays selectable */ });
    return () => {
      current = false;
    };
  }, [api, admin]);
  if (!admin) {
    return null;
  }
  return (
    <label className="env-switch">
      <span>Environment of</span>
      <select value={viewUserId} onChange={(e) => setViewUserId(e.target.value)}>
        {users.map((u) => <option key={u.id} value={u.id}>{u.id === me.id ? `${u.name} (you)` : u.name}</option>)}
      </select>
    </label>
  );
}
