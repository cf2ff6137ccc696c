/**
 * The bearer token of this tab's session. sessionStorage, not localStorage: it ends with the tab, and
 * another tab logs in on its own. Never in a URL or a cookie (the API takes it in Authorization only).
 */
const KEY = "defpi.token";

export const session = {
  token(): string | null {
    return sessionStorage.getItem(KEY);
  },
  start(token: string): void {
    sessionStorage.setItem(KEY, token);
  },
  end(): void {
    sessionStorage.removeItem(KEY);
  },
};
