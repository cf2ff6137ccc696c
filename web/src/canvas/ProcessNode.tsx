import { memo, useContext } from "react";
import { Handle, Position, type NodeProps } from "@xyflow/react";
import { dropTitle, portKey } from "./drop";
import { DraggingContext } from "./dragging";
import { handleId, PROCESS_COLOURS, type Port, type ProcessNode as ProcessNodeType } from "./graph";
import "./canvas.css";

/** A hash as the box shows it: enough to tell two apart at a glance; the title has it whole. */
function short(hash: string): string {
  return hash.slice(0, 8);
}

function PortRow({ processId, port }: { processId: string; port: Port }) {
  const dragging = useContext(DraggingContext);
  const key = portKey({ processId, interfaceId: port.interfaceId, versionName: port.versionName });
  const isFrom = dragging !== null && portKey(dragging.from) === key;
  const verdict = dragging && !isFrom ? dragging.verdicts.get(key) : undefined;
  const drop = isFrom ? " dragging" : verdict ? (verdict.ok ? " accepts" : " refuses") : "";
  const title = verdict ? dropTitle(verdict) : `${port.interfaceName} ${port.versionName} (${port.interfaceId})\n`
    + `sends ${port.sendsHash}\nreceives ${port.receivesHash}`
    + (port.allowMultiple ? "\ntakes several connections" : "\ntakes one connection")
    + "\ndrag from a dot to another process's port to connect";
  const handleClass = drop.trim() || undefined;
  return (
    <li className={`port${drop}`} title={title}>
      {/* a handle on each side, so a line leaves towards the box at its other end */}
      <Handle type="source" position={Position.Left} id={handleId(port.id, "left")} className={handleClass} />
      <span className="port-name">{port.interfaceName}</span>
      <span className="port-version">{port.versionName}</span>
      <span className="port-hashes">
        <span aria-label="sends">↑{short(port.sendsHash)}</span> <span aria-label="receives">↓{short(port.receivesHash)}</span>
      </span>
      <Handle type="source" position={Position.Right} id={handleId(port.id, "right")} className={handleClass} />
    </li>
  );
}

/** A process: name, service and version, state by colour and label, its interface versions as ports. */
export const ProcessNode = memo(function ProcessNode({ data, selected }: NodeProps<ProcessNodeType>) {
  const { process: p, ports } = data;
  const colour = PROCESS_COLOURS[p.state];
  return (
    <div className={`process${selected ? " selected" : ""}`} style={{ borderColor: colour }}>
      <div className="process-head">
        <span className="process-name" title={`process ${p.id}`}>{p.name}</span>
        <span className="state" style={{ background: colour }}>{p.state.toLowerCase()}</span>
      </div>
      <div className="process-service">{p.serviceId} <span className="process-version">{p.version}</span></div>
      {p.reason && <div className="process-reason" title={p.reason}>{p.reason}</div>}
      {ports.length > 0
        ? <ul className="ports">{ports.map((port) => <PortRow key={port.id} processId={p.id} port={port} />)}</ul>
        : <div className="no-ports">no interfaces</div>}
    </div>
  );
});
