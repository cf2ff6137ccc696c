import { useCallback, useEffect, useMemo, useState } from "react";
import { createApi, data, type User } from "./api/client";
import { ApiError } from "./api/problem";
import { Canvas } from "./canvas/Canvas";
import {
  ChangesPage, ConnectionsPage, NodesPage, PoolsPage, ProcessesPage, ServicesPage, UsersPage,
} from "./lists/pages";
import { Login } from "./Login";
import { LogPage } from "./logs/LogPage";
import { session } from "./session";
import { isAdmin, ShellContext, type Shell } from "./shell/context";
import { EnvironmentSwitch, Nav } from "./shell/Nav";
import { useRoute, type Route } from "./shell/route";

/** Login page until there is a session; then the header (pages, whose environment, who, log out) over the page. */
export function App() {
  const [token, setToken] = useState(session.token);
  const [user, setUser] = useState<User | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [viewUserId, setViewUserId] = useState<string | null>(() => session.viewUserId());
  const route = useRoute();

  const endSession = useCallback((why: string | null) => {
    session.end();
    setToken(null);
    setUser(null);
    setNotice(why);
  }, []);

  const api = useMemo(() => createApi({
    token: session.token,
    onUnauthorized: () => endSession("Your session has ended. Log in again."),
  }), [endSession]);

  useEffect(() => {
    if (!token) {
      return;
    }
    let current = true;
    data(api.GET("/user/me")).then(
      (me) => current && setUser(me),
      (e: ApiError) => current && e.status !== 401 && setNotice(e.message));
    return () => {
      current = false;
    };
  }, [api, token]);

  const logout = useCallback(async () => {
    try {
      await data(api.POST("/logout"));
    } catch {
      // the token goes from this tab either way; a token the orchestrator kept expires on its own
    }
    endSession(null);
  }, [api, endSession]);

  const shell: Shell | null = useMemo(() => user && {
    api,
    me: user,
    // a user only ever has their own; an admin's choice is kept for the tab
    viewUserId: isAdmin(user) && viewUserId ? viewUserId : user.id,
    setViewUserId: (id: string) => {
      session.view(id);
      setViewUserId(id);
    },
  }, [api, user, viewUserId]);

  if (!token) {
    return (
      <Login api={api} notice={notice} onLogin={(answer) => {
        session.start(answer.token);
        setUser(answer.user);
        setNotice(null);
        setToken(answer.token);
      }} />
    );
  }
  return (
    <div className="app">
      <header className="bar">
        <span className="brand">defpi</span>
        {shell && <ShellContext.Provider value={shell}><Nav current={route.page} /><EnvironmentSwitch /></ShellContext.Provider>}
        {notice && <span className="notice" role="alert">{notice}</span>}
        <span className="who">
          {user ? <>{user.name} <span className="role">{user.role}</span></> : "…"}
        </span>
        <button type="button" onClick={logout}>Log out</button>
      </header>
      {shell && <ShellContext.Provider value={shell}><CurrentPage route={route} /></ShellContext.Provider>}
    </div>
  );
}

function CurrentPage({ route }: { route: Route }) {
  switch (route.page) {
    case "canvas": return <Canvas />;
    case "services": return <ServicesPage route={route} />;
    case "processes": return <ProcessesPage route={route} />;
    case "connections": return <ConnectionsPage route={route} />;
    case "nodes": return <NodesPage route={route} />;
    case "pools": return <PoolsPage route={route} />;
    case "users": return <UsersPage route={route} />;
    case "changes": return <ChangesPage route={route} />;
    case "logs": return <LogPage route={route} />;
  }
}
