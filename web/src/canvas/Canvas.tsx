import { useEffect, useMemo, useState } from "react";
import { applyNodeChanges, Background, ConnectionMode, Controls, ReactFlow, type NodeChange, type NodeTypes } from "@xyflow/react";
import type { Api } from "../api/client";
import { CONNECTION_COLOURS, PROCESS_COLOURS, toEdges, toNodes, type ProcessNode as ProcessNodeType } from "./graph";
import { ProcessNode } from "./ProcessNode";
import { useEnvironment } from "./useEnvironment";

const NODE_TYPES: NodeTypes = { process: ProcessNode };

/** The wiring canvas, read-only for now: the user's processes and connections, as they change. */
export function Canvas({ api }: { api: Api }) {
  const live = useEnvironment(api);
  const [nodes, setNodes] = useState<ProcessNodeType[]>([]);

  useEffect(() => {
    setNodes((previous) => toNodes(live.env.processes.values(), previous));
  }, [live.env.processes]);
  const edges = useMemo(() => toEdges(live.env.connections.values(), nodes), [live.env.connections, nodes]);

  const empty = live.loaded && nodes.length === 0;
  return (
    <div className="canvas">
      {live.trouble && <div className="trouble" role="status">{live.trouble}</div>}
      {!live.loaded && !live.trouble && <div className="placeholder">Loading your processes…</div>}
      {empty && (
        <div className="placeholder">
          <p>You have no processes yet.</p>
          <p>Start one with the CLI, <code>defpi processes create &lt;service&gt;</code>; it appears here as it starts.</p>
        </div>
      )}
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        onNodesChange={(changes: NodeChange<ProcessNodeType>[]) => setNodes((ns) => applyNodeChanges(changes, ns))}
        nodesConnectable={false}
        // a port's handles are all of one type: a connection has no direction, and joins them as they are
        connectionMode={ConnectionMode.Loose}
        edgesFocusable={false}
        fitView
        minZoom={0.1}
        proOptions={{ hideAttribution: true }}
      >
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
      <Legend />
    </div>
  );
}

function Legend() {
  return (
    <aside className="legend" aria-label="Legend">
      <div>
        <strong>processes</strong>
        {Object.entries(PROCESS_COLOURS).map(([state, colour]) => (
          <span key={state} className="legend-item"><i style={{ background: colour }} />{state.toLowerCase()}</span>
        ))}
      </div>
      <div>
        <strong>connections</strong>
        {Object.entries(CONNECTION_COLOURS).map(([state, colour]) => (
          <span key={state} className="legend-item"><i style={{ background: colour }} />{state.toLowerCase()}</span>
        ))}
      </div>
    </aside>
  );
}
