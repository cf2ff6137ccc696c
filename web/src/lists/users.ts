import type { components } from "../generated/openapi";

export type Role = components["schemas"]["Role"];
export type NewUser = components["schemas"]["NewUser"];
export type UserUpdate = components["schemas"]["UserUpdate"];

export const ROLES: readonly Role[] = ["user", "admin"];

export interface NewUserForm {
  name: string;
  password: string;
  repeat: string;
  role: Role;
  email: string;
}

export const EMPTY_USER: NewUserForm = { name: "", password: "", repeat: "", role: "user", email: "" };

/** What a password field and its repetition lack, if anything. */
function passwordProblem(password: string, repeat: string): string | undefined {
  if (password === "") {
    return "Give a password.";
  }
  if (password !== repeat) {
    return "The two passwords differ.";
  }
  return undefined;
}

/**
 * The body of `POST /user`: the name trimmed, no email when none is given; or what is missing. The
 * orchestrator checks the rest (a name that is taken, an email that is not one) and says why.
 */
export function newUserBody(form: NewUserForm): { body: NewUser } | { missing: string } {
  const name = form.name.trim();
  if (name === "") {
    return { missing: "Give a name." };
  }
  const problem = passwordProblem(form.password, form.repeat);
  if (problem) {
    return { missing: problem };
  }
  const email = form.email.trim();
  return { body: { name, password: form.password, role: form.role, ...(email ? { email } : {}) } };
}

/**
 * The body of `PUT /user/{id}` that sets a new password: an admin gives none for someone else, but
 * changing one's own always takes the current one ({@code current}), so a stolen token cannot lock
 * its owner out.
 */
export function passwordBody(password: string, repeat: string, current?: string): { body: UserUpdate } | { missing: string } {
  if (current === "") {
    return { missing: "Give your current password." };
  }
  const problem = passwordProblem(password, repeat);
  if (problem) {
    return { missing: problem };
  }
  return { body: current === undefined ? { password } : { password, currentPassword: current } };
}

/** The role a user's role button gives them. */
export function otherRole(role: Role): Role {
  return role === "admin" ? "user" : "admin";
}
