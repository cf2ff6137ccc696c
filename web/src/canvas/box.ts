import { Position, type NodeHandle } from "@xyflow/react";
import { NODE_WIDTH } from "./layout";

/**
 * A process box's size and where its ports' dots are, known before it is drawn: canvas.css gives
 * every part of the box a fixed height (these numbers), so React Flow is handed the box measured
 * (`width`, `height`, `measured`, `handles`): it draws the box at once, not hidden until measured,
 * and its lines in the same frame; and it is not measured in the page at all (unobserved.tsx).
 */

/** The box's border, each side. */
export const BOX_BORDER = 2;
/** The name and state line. */
export const BOX_HEAD = 22;
/** The service and version line. */
export const BOX_SERVICE = 20;
/** Why it failed, a line, when it says. */
export const BOX_REASON = 18;
/** A port's row (its border-top included), or the "no interfaces" row. */
export const BOX_ROW = 26;
/** A port's dot, each way. */
export const DOT = 8;

export interface BoxGeometry {
  width: number;
  height: number;
  /** Each port's two dots, as React Flow would measure them: top-left corner in the box, and size. */
  handles: NodeHandle[];
}

/** The size and dots of a box with these ports (by id), with or without a reason line. */
export function boxGeometry(portIds: readonly string[], reason: boolean,
    handleId: (port: string, side: "left" | "right") => string): BoxGeometry {
  const top = BOX_BORDER + BOX_HEAD + BOX_SERVICE + (reason ? BOX_REASON : 0);
  const height = top + Math.max(portIds.length, 1) * BOX_ROW + BOX_BORDER;
  const handles: NodeHandle[] = [];
  portIds.forEach((port, i) => {
    // a dot is centred on the row's edge, in the middle of the row below its 1px border
    const y = top + i * BOX_ROW + 1 + (BOX_ROW - 1) / 2 - DOT / 2;
    handles.push(
      { id: handleId(port, "left"), type: "source", position: Position.Left, x: BOX_BORDER - DOT / 2, y, width: DOT, height: DOT },
      { id: handleId(port, "right"), type: "source", position: Position.Right, x: NODE_WIDTH - BOX_BORDER - DOT / 2, y,
        width: DOT, height: DOT },
    );
  });
  return { width: NODE_WIDTH, height, handles };
}
