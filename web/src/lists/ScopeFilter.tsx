import { useShell } from "../shell/context";
import type { ListQuery } from "./query";

/**
 * An admin's choice between the environment chosen in the header and every user's items; nothing
 * for a user (the API only ever gives them their own).
 */
export function ScopeFilter({ q, userName, onChange }: {
  q: ListQuery;
  userName: (id: string) => string;
  onChange: (all: boolean) => void;
}) {
  const { me, viewUserId } = useShell();
  if (!q.scope) {
    return null;
  }
  const whose = viewUserId === me.id ? "Your environment" : `Environment of ${userName(viewUserId)}`;
  return (
    <label className="filter">
      <span>Users</span>
      <select value={q.scope.all ? "all" : "view"} onChange={(e) => onChange(e.target.value === "all")}>
        <option value="view">{whose} (as in the header)</option>
        <option value="all">All users</option>
      </select>
    </label>
  );
}
