import { useState } from "react";
import type { User } from "../api/client";
import { FormDialog } from "./FormDialog";
import { Field } from "./ui";
import { EMPTY_USER, newUserBody, passwordBody, ROLES, type NewUser, type NewUserForm, type UserUpdate } from "./users";

/** A new user: name, password twice, role, email; the orchestrator's refusal (a taken name) stays in the dialog. */
export function CreateDialog({ create, onDone, onClose }: {
  create: (body: NewUser) => Promise<string>;
  onDone: (message: string) => void;
  onClose: () => void;
}) {
  const [form, setForm] = useState<NewUserForm>(EMPTY_USER);
  const set = (change: Partial<NewUserForm>) => setForm((f) => ({ ...f, ...change }));
  return (
    <FormDialog title="New user" submit="Create" busyText="Creating the user…" onClose={onClose} onDone={onDone} act={async () => {
      const made = newUserBody(form);
      if ("missing" in made) {
        throw new Error(made.missing);
      }
      return create(made.body);
    }}>
      <Field label="Name">{(id) => <input id={id} value={form.name} data-autofocus autoComplete="off" onChange={(e) => set({ name: e.target.value })} />}</Field>
      <Field label="Password">{(id) => <input id={id} type="password" autoComplete="new-password" value={form.password}
        onChange={(e) => set({ password: e.target.value })} />}</Field>
      <Field label="Password again">{(id) => <input id={id} type="password" autoComplete="new-password" value={form.repeat}
        onChange={(e) => set({ repeat: e.target.value })} />}</Field>
      <Field label="Role">{(id) => (
        <select id={id} value={form.role} onChange={(e) => set({ role: e.target.value === "admin" ? "admin" : "user" })}>
          {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
        </select>
      )}</Field>
      <Field label="Email (optional)">{(id) => <input id={id} type="email" autoComplete="off" value={form.email}
        onChange={(e) => set({ email: e.target.value })} />}</Field>
    </FormDialog>
  );
}

/** A new password for a user; one's own takes the current one. */
export function PasswordDialog({ user, self, save, onDone, onClose }: {
  user: User;
  /** One's own password: it takes the current one, and ends this session too. */
  self: boolean;
  save: (body: UserUpdate) => Promise<string>;
  onDone: (message: string) => void;
  onClose: () => void;
}) {
  const [current, setCurrent] = useState("");
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  return (
    <FormDialog title={`New password for ${user.name}`} submit="Set password" busyText="Setting the password…" onClose={onClose}
      onDone={onDone} act={async () => {
        const made = passwordBody(password, repeat, self ? current : undefined);
        if ("missing" in made) {
          throw new Error(made.missing);
        }
        return save(made.body);
      }}>
      {self && <Field label="Your current password">{(id) => (
        <input id={id} type="password" autoComplete="current-password" data-autofocus value={current} onChange={(e) => setCurrent(e.target.value)} />
      )}</Field>}
      <Field label="New password" hint={self ? "Your sessions end: you log in again with it."
        : "Their sessions end: they log in again with it."}>{(id) => (
        <input id={id} type="password" autoComplete="new-password" data-autofocus={!self || undefined} value={password} onChange={(e) => setPassword(e.target.value)} />
      )}</Field>
      <Field label="New password again">{(id) => (
        <input id={id} type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} />
      )}</Field>
    </FormDialog>
  );
}
