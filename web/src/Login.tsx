import { useState, type FormEvent } from "react";
import { data, type Api, type User } from "./api/client";
import { ApiError } from "./api/problem";

export interface LoginProps {
  api: Api;
  /** Why the user is here again (a session that ended), if so. */
  notice: string | null;
  onLogin(answer: { token: string; user: User }): void;
}

export function Login({ api, notice, onLogin }: LoginProps) {
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onLogin(await data(api.POST("/login", { body: { name, password } })));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
      setBusy(false);
    }
  }

  return (
    <main className="login">
      <form onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">defpi</h1>
        {notice && !error && <p className="notice" role="status">{notice}</p>}
        <label>
          Name
          <input name="name" autoComplete="username" required autoFocus value={name}
            onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required value={password}
            onChange={(e) => setPassword(e.target.value)} />
        </label>
        {error && <p className="error" role="alert">{error}</p>}
        <button type="submit" disabled={busy}>{busy ? "Logging in…" : "Log in"}</button>
      </form>
    </main>
  );
}
