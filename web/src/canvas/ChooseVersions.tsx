import { useState } from "react";
import type { VersionPair } from "./drop";
import { Dialog } from "../shell/Dialog";

/** Which interface versions a new connection uses, when more than one pair fits (or not the ports dropped on). */
export function ChooseVersions({ fromName, toName, pairs, exact, onChoose, onCancel }: {
  fromName: string;
  toName: string;
  pairs: VersionPair[];
  /** Whether the first pair is the very ports the line was dropped on. */
  exact: boolean;
  onChoose: (pair: VersionPair) => void;
  onCancel: () => void;
}) {
  const [chosen, setChosen] = useState(0);
  // the orchestrator's own choice, the names sorting last (the dropped pair may have been put first)
  const orchestratorsChoice = pairs.reduce((at, p, i) => (prefers(p, pairs[at]!) ? i : at), 0);
  return (
    <Dialog title="Which versions?" onClose={onCancel} actions={<>
      <button type="button" className="primary" onClick={() => onChoose(pairs[chosen]!)}>Connect</button>
      <button type="button" onClick={onCancel}>Cancel</button>
    </>}>
      {!exact && <p>The versions you dropped on do not fit each other; {pairs.length > 1 ? "these do" : "this pair does"}.</p>}
      <fieldset className="choices">
        <legend>{fromName} ↔ {toName}</legend>
        {pairs.map((p, i) => (
          <label key={`${p.from}\u0000${p.to}`}>
            <input type="radio" name="pair" checked={chosen === i} data-autofocus={i === 0 || undefined} onChange={() => setChosen(i)} />
            {" "}version {p.from} ↔ version {p.to}
            {exact && i === 0 && <span className="hint"> (the ports you dropped on)</span>}
            {i === orchestratorsChoice && <span className="hint"> (what the orchestrator would pick)</span>}
          </label>
        ))}
      </fieldset>
    </Dialog>
  );
}

function prefers(a: VersionPair, b: VersionPair): boolean {
  return a.from > b.from || (a.from === b.from && a.to > b.to);
}
