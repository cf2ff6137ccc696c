import { useCallback, useEffect, useMemo, useState } from "react";
import { createApi, data, type User } from "./api/client";
import { ApiError } from "./api/problem";
import { Canvas } from "./canvas/Canvas";
import { Login } from "./Login";
import { session } from "./session";

/** Login page until there is a session; then the header (who, log out) over the wiring canvas. */
export function App() {
  const [token, setToken] = useState(session.token);
  const [user, setUser] = useState<User | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

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
        {notice && <span className="notice" role="alert">{notice}</span>}
        <span className="who">
          {user ? <>{user.name} <span className="role">{user.role}</span></> : "…"}
        </span>
        <button type="button" onClick={logout}>Log out</button>
      </header>
      <Canvas api={api} />
    </div>
  );
}
