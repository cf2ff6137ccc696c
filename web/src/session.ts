/**
 * The bearer token of this tab's session. sessionStorage, not localStorage: it ends with the tab, and
 * another tab logs in on its own. Never in a URL or a cookie (the API takes it in Authorization only).
 */
const KEY = "defpi.token";
/** An admin's choice of whose environment to show. */
const VIEW = "defpi.view";

export const session = {
  token(): string | null {
    return sessionStorage.getItem(KEY);
  },
  start(token: string): void {
    sessionStorage.setItem(KEY, token);
  },
  end(): void {
    sessionStorage.removeItem(KEY);
    sessionStorage.removeItem(VIEW);
  },
  viewUserId(): string | null {
    return sessionStorage.getItem(VIEW);
  },
  view(userId: string): void {
    sessionStorage.setItem(VIEW, userId);
  },
};
