import { memo } from "react";
import { BaseEdge, getBezierPath, type EdgeProps } from "@xyflow/react";
import type { ConnectionEdge } from "./graph";

/**
 * A connection's line: React Flow's own bezier line and label, plus a tooltip that says whether the
 * connection is encrypted (and why not) and, for a line with traffic, the rates each way, the drops
 * and the errors. Memoised: a line is drawn again only when its own props change.
 */
export const LineEdge = memo(function LineEdge(props: EdgeProps<ConnectionEdge>) {
  const [path, labelX, labelY] = getBezierPath({
    sourceX: props.sourceX, sourceY: props.sourceY, sourcePosition: props.sourcePosition,
    targetX: props.targetX, targetY: props.targetY, targetPosition: props.targetPosition,
  });
  return (
    <>
      {props.data?.title && <title>{props.data.title}</title>}
      <BaseEdge id={props.id} path={path} labelX={labelX} labelY={labelY} label={props.label}
        labelStyle={props.labelStyle} labelShowBg={props.labelShowBg} labelBgStyle={props.labelBgStyle}
        labelBgPadding={props.labelBgPadding} labelBgBorderRadius={props.labelBgBorderRadius} style={props.style}
        markerStart={props.markerStart} markerEnd={props.markerEnd} interactionWidth={props.interactionWidth} />
    </>
  );
});

/** The edge types of the canvas: one object for the page's life, so React Flow never re-registers them. */
export const EDGE_TYPES = { line: LineEdge };
