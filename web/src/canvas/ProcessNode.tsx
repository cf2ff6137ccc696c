import { createContext, memo, useContext, useState, type CSSProperties } from "react";
import { Handle, Position, type NodeProps } from "@xyflow/react";
import { dropTitle, portKey } from "./drop";
import { DraggingContext } from "./dragging";
import { handleId, PROCESS_COLOURS, type Port, type ProcessNode as ProcessNodeType, type Side } from "./graph";
import "./canvas.css";

/** React Flow's id of the canvas (its `id`): a dot's `data-id` starts with it, as React Flow's own handles' do. */
export const FLOW_ID = "defpi-canvas";

/**
 * Whether the view is zoomed out so far that no text of a box can be read (13 px is under 4): the
 * boxes are then drawn without it, a third of the elements (the state shows as the head's colour,
 * the ports as rows with their dots; the name is the box's accessible name still).
 */
export const TinyContext = createContext(false);

/** A hash as the box shows it: enough to tell two apart at a glance; the title has it whole. */
function short(hash: string): string {
  return hash.slice(0, 8);
}

/**
 * A port's dot on one side. React Flow's {@link Handle} (which a line is dragged from) only on the
 * box under the pointer, or that a line is being dragged from: each Handle follows React Flow's
 * store, and 4000 of them (500 boxes) were most of the work of every change of it (a frame of a
 * drag, a zoom step). Elsewhere a plain element with the classes and data of a Handle: React Flow
 * takes it as the end of a line dropped on or near it (and would measure it as one, were it to
 * measure the boxes: unobserved.tsx).
 */
function Dot({ nodeId, port, side, live, className }: {
  nodeId: string; port: string; side: Side; live: boolean; className?: string;
}) {
  const id = handleId(port, side);
  const position = side === "left" ? Position.Left : Position.Right;
  if (live) {
    return <Handle type="source" position={position} id={id} className={className} />;
  }
  return (
    <span className={`react-flow__handle react-flow__handle-${position} nodrag nopan source connectable connectablestart`
      + ` connectableend connectionindicator${className ? ` ${className}` : ""}`}
      data-handleid={id} data-nodeid={nodeId} data-handlepos={position} data-id={`${FLOW_ID}-${nodeId}-${id}-source`} />
  );
}

function PortRow({ processId, port, live, tiny, connected }: {
  processId: string; port: Port; live: boolean; tiny: boolean; connected: number;
}) {
  const dragging = useContext(DraggingContext);
  const key = portKey({ processId, interfaceId: port.interfaceId, versionName: port.versionName });
  const isFrom = dragging !== null && portKey(dragging.from) === key;
  const verdict = dragging && !isFrom ? dragging.verdicts.get(key) : undefined;
  const drop = isFrom ? " dragging" : verdict ? (verdict.ok ? " accepts" : " refuses") : "";
  const handleClass = drop.trim() || undefined;
  // a port with an ACTIVE connection says so (its dots are filled), at both ends of the line
  const linked = connected > 0 ? " connected" : "";
  if (tiny) {
    return (
      <li className={`port${linked}${drop}`}>
        <Dot nodeId={processId} port={port.id} side="left" live={live} className={handleClass} />
        <Dot nodeId={processId} port={port.id} side="right" live={live} className={handleClass} />
      </li>
    );
  }
  const title = verdict ? dropTitle(verdict) : `${port.interfaceName} ${port.versionName} (${port.interfaceId})\n`
    + `sends ${port.sendsHash}\nreceives ${port.receivesHash}`
    + (port.allowMultiple ? "\ntakes several connections" : "\ntakes one connection")
    + (connected > 0 ? `\nconnected: ${connected} active connection${connected === 1 ? "" : "s"}` : "")
    + "\ndrag from a dot to another process's port to connect";
  return (
    <li className={`port${linked}${drop}`} title={title} data-connections={connected}>
      {/* a dot on each side, so a line leaves towards the box at its other end */}
      <Dot nodeId={processId} port={port.id} side="left" live={live} className={handleClass} />
      <span className="port-name">{port.interfaceName}</span>
      <span className="port-version">{port.versionName}</span>
      <span className="port-hashes" aria-label={`sends ${short(port.sendsHash)}, receives ${short(port.receivesHash)}`}>
        {`↑${short(port.sendsHash)} ↓${short(port.receivesHash)}`}
      </span>
      <Dot nodeId={processId} port={port.id} side="right" live={live} className={handleClass} />
    </li>
  );
}

/** A process: name, service and version, state by colour and label, its interface versions as ports. */
export const ProcessNode = memo(function ProcessNode({ data, selected }: NodeProps<ProcessNodeType>) {
  const { process: p, ports, connected } = data;
  const colour = PROCESS_COLOURS[p.state];
  const [pointer, setPointer] = useState(false);
  const dragging = useContext(DraggingContext);
  const tiny = useContext(TinyContext);
  // a line can be dragged from the box under the pointer, and goes on from the box it started at
  const live = pointer || dragging?.from.processId === p.id;
  const portRows = ports.length > 0
    ? <ul className="ports">{ports.map((port) => <PortRow key={port.id} processId={p.id} port={port} live={live} tiny={tiny}
      connected={connected?.[port.id] ?? 0} />)}</ul>
    : <div className="no-ports">{tiny ? null : "no interfaces"}</div>;
  return (
    <div className={`process${selected ? " selected" : ""}${tiny ? " tiny" : ""}`} style={{ borderColor: colour, "--state": colour } as CSSProperties}
      onPointerEnter={() => setPointer(true)} onPointerLeave={() => setPointer(false)}>
      {tiny
        ? <div className="process-head" />
        : <>
          <div className="process-head">
            <span className="process-name" title={`process ${p.id}`}>{p.name}</span>
            <span className="state" style={{ background: colour }}>{p.state.toLowerCase()}</span>
          </div>
          <div className="process-service">{p.serviceId} <span className="process-version">{p.version}</span></div>
        </>}
      {tiny ? <div className="process-service" /> : null}
      {p.reason && (tiny ? <div className="process-reason" /> : <div className="process-reason" title={p.reason}>{p.reason}</div>)}
      {portRows}
    </div>
  );
});
