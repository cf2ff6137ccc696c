import { useState } from "react";
import type { User } from "../api/client";
import { href } from "../shell/route";
import { words } from "./format";
import { FormDialog } from "./FormDialog";
import { assignmentBody, formFor, unchanged, type AssignmentForm, type Node, type NodeAssignment, type Pool } from "./nodes";
import { Field } from "./ui";

/** Make a node public in a pool, private for a user, or unidentified (PUT /node/{id}). */
export function AssignDialog({ node, pools, users, assign, onDone, onClose }: {
  node: Node;
  pools: readonly Pool[];
  users: readonly User[];
  assign: (body: NodeAssignment) => Promise<string>;
  onDone: (message: string) => void;
  onClose: () => void;
}) {
  const [form, setForm] = useState<AssignmentForm>(() => formFor(node));
  const set = (change: Partial<AssignmentForm>) => setForm((f) => ({ ...f, ...change }));
  return (
    <FormDialog title={`Assign node ${node.hostname}`} submit="Save" busyText={`Assigning ${node.hostname}…`} onClose={onClose}
      onDone={onDone} act={async () => {
        const made = assignmentBody(form);
        if ("missing" in made) {
          throw new Error(made.missing);
        }
        if (unchanged(node, made.body)) {
          throw new Error(`The node is ${words(node.kind)} like that already.`);
        }
        return assign(made.body);
      }}>
      <fieldset>
        <legend>Make it</legend>
        <label className="choice">
          <input type="radio" name="kind" checked={form.kind === "public"} onChange={() => set({ kind: "public" })} />
          public: any user's processes may run on it
        </label>
        {form.kind === "public" && (
          pools.length === 0
            ? <p className="muted">There is no node pool yet: <a href={href("pools")}>create one</a> first.</p>
            : <Field label="In the pool">{(id) => (
              <select id={id} value={form.poolId} onChange={(e) => set({ poolId: e.target.value })}>
                <option value="">Choose a pool…</option>
                {pools.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
              </select>
            )}</Field>
        )}
        <label className="choice">
          <input type="radio" name="kind" checked={form.kind === "private"} onChange={() => set({ kind: "private" })} />
          private: only one user's processes run on it
        </label>
        {form.kind === "private" && (
          <Field label="For the user">{(id) => (
            <select id={id} value={form.userId} onChange={(e) => set({ userId: e.target.value })}>
              <option value="">Choose a user…</option>
              {users.map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
            </select>
          )}</Field>
        )}
        <label className="choice">
          <input type="radio" name="kind" checked={form.kind === "unidentified"} onChange={() => set({ kind: "unidentified" })} />
          unidentified: no processes are placed on it
        </label>
      </fieldset>
    </FormDialog>
  );
}
