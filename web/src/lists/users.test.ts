import { describe, expect, it } from "vitest";
import { EMPTY_USER, newUserBody, otherRole, passwordBody } from "./users";

describe("newUserBody", () => {
  it("sends the name trimmed, the password, the role, and an email only when one is given", () => {
    expect(newUserBody({ ...EMPTY_USER, name: " bob ", password: "s3cret", repeat: "s3cret" }))
      .toEqual({ body: { name: "bob", password: "s3cret", role: "user" } });
    expect(newUserBody({ name: "eve", password: " p ", repeat: " p ", role: "admin", email: " eve@example.org " }))
      .toEqual({ body: { name: "eve", password: " p ", role: "admin", email: "eve@example.org" } });
  });

  it("says what is missing before asking the orchestrator", () => {
    expect(newUserBody({ ...EMPTY_USER, name: "  ", password: "p", repeat: "p" })).toEqual({ missing: "Give a name." });
    expect(newUserBody({ ...EMPTY_USER, name: "bob" })).toEqual({ missing: "Give a password." });
    expect(newUserBody({ ...EMPTY_USER, name: "bob", password: "a", repeat: "b" })).toEqual({ missing: "The two passwords differ." });
  });
});

describe("passwordBody", () => {
  it("sets the password when both fields agree", () => {
    expect(passwordBody("n3w", "n3w")).toEqual({ body: { password: "n3w" } });
    expect(passwordBody("n3w", "new")).toEqual({ missing: "The two passwords differ." });
    expect(passwordBody("", "")).toEqual({ missing: "Give a password." });
  });

  it("sends the current password for one's own", () => {
    expect(passwordBody("n3w", "n3w", "old")).toEqual({ body: { password: "n3w", currentPassword: "old" } });
    expect(passwordBody("n3w", "n3w", "")).toEqual({ missing: "Give your current password." });
  });
});

describe("otherRole", () => {
  it("swaps admin and user", () => {
    expect(otherRole("admin")).toBe("user");
    expect(otherRole("user")).toBe("admin");
  });
});
