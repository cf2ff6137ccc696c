import { createContext } from "react";
import type { PortRef, Verdict } from "./drop";

/** The port being dragged from and what every other port says to it; null when nothing is dragged. */
export interface Dragging {
  from: PortRef;
  verdicts: ReadonlyMap<string, Verdict>;
}

export const DraggingContext = createContext<Dragging | null>(null);
