import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import {
  applyNodeChanges, Background, ConnectionMode, Controls, ReactFlow, useConnection,
  type Connection as FlowConnection, type EdgeChange, type IsValidConnection, type NodeChange, type NodeTypes,
  type OnConnectStart,
} from "@xyflow/react";
import type { Process } from "../api/client";
import { useShell } from "../shell/context";
import { connect, connectionMessage, deleteConnection, pendingRemovalMessage, removalMessage, terminateProcess } from "./actions";
import { ChooseVersions } from "./ChooseVersions";
import { Confirm } from "./Dialog";
import { Details, type Selection } from "./Details";
import { DraggingContext, type Dragging } from "./dragging";
import { dropTitle, needsChoice, portKey, verdicts, type PortRef, type Verdict, type VersionPair } from "./drop";
import {
  CONNECTION_COLOURS, PROCESS_COLOURS, portOfHandle, toEdges, toNodes, type ConnectionEdge,
  type ProcessNode as ProcessNodeType,
} from "./graph";
import { ProcessNode } from "./ProcessNode";
import { useEnvironment } from "./useEnvironment";

const NODE_TYPES: NodeTypes = { process: ProcessNode };

/** What the last action is doing or came to, shown above the canvas. */
interface Notice {
  tone: "busy" | "done" | "error";
  text: string;
}

/** A drop that waits for the user to pick the versions. */
interface Choice {
  from: PortRef;
  to: PortRef;
  pairs: VersionPair[];
  exact: boolean;
}

/**
 * The wiring canvas: the user's processes and connections, as they change. Drag from a port to
 * another to connect them; select a process or a connection for its details and actions.
 */
export function Canvas() {
  const { api, viewUserId } = useShell();
  const [notice, setNotice] = useState<Notice | null>(null);
  // A removal that went on as a pending change (202): its events say how it ends.
  const [watching, setWatching] = useState<{ changeId: string; what: string } | null>(null);
  const live = useEnvironment(api, viewUserId, (event) => {
    if (watching && event.id === watching.changeId) {
      const outcome = pendingRemovalMessage(watching.what, watching.changeId, event.state, event.reason);
      setNotice(outcome);
      if (outcome.tone !== "busy") {
        setWatching(null);
      }
    }
  });
  const { processes, connections } = live.env;
  const [nodes, setNodes] = useState<ProcessNodeType[]>([]);
  const [selectedEdge, setSelectedEdge] = useState<string | null>(null);
  const [dragging, setDragging] = useState<Dragging | null>(null);
  const [choice, setChoice] = useState<Choice | null>(null);
  const [confirming, setConfirming] = useState<Selection | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setNodes((previous) => toNodes(processes.values(), previous));
  }, [processes]);
  const edges = useMemo(() => toEdges(connections.values(), nodes)
    .map((e): ConnectionEdge => (e.id === selectedEdge ? { ...e, selected: true } : e)), [connections, nodes, selectedEdge]);

  // What is selected, as it is now: a process or connection that is gone is no longer selected.
  const selectedNode = nodes.find((n) => n.selected)?.id;
  const selection: Selection | null = useMemo(() => {
    const c = selectedEdge ? connections.get(selectedEdge) : undefined;
    if (c) {
      return { kind: "connection", connection: c };
    }
    const p = selectedNode ? processes.get(selectedNode) : undefined;
    return p ? { kind: "process", process: p } : null;
  }, [selectedEdge, selectedNode, connections, processes]);

  const deselect = useCallback(() => {
    setSelectedEdge(null);
    setNodes((ns) => (ns.some((n) => n.selected) ? ns.map((n) => (n.selected ? { ...n, selected: false } : n)) : ns));
  }, []);

  // --- connecting by drag and drop

  const draggingRef = useRef<Dragging | null>(null);
  draggingRef.current = dragging;
  const nodesRef = useRef(nodes);
  nodesRef.current = nodes;

  const portAt = (nodeId: string | null | undefined, handle: string | null | undefined): PortRef | undefined =>
    portOfHandle(nodesRef.current.find((n) => n.id === nodeId), handle);

  const verdictFor = (c: FlowConnection | { source: string; target: string; sourceHandle?: string | null;
    targetHandle?: string | null }): { to: PortRef; verdict: Verdict } | undefined => {
    const d = draggingRef.current;
    const to = portAt(c.target, c.targetHandle);
    const verdict = d && to ? d.verdicts.get(portKey(to)) : undefined;
    return to && verdict ? { to, verdict } : undefined;
  };

  const onConnectStart: OnConnectStart = (_, { nodeId, handleId }) => {
    const from = portAt(nodeId, handleId);
    setDragging(from ? { from, verdicts: verdicts(processes, connections.values(), from) } : null);
  };

  const isValidConnection: IsValidConnection = (c) => verdictFor(c)?.verdict.ok ?? false;

  const name = (port: PortRef) => {
    const p = processes.get(port.processId);
    const i = p?.interfaces.find((x) => x.id === port.interfaceId);
    return `${i?.name ?? port.interfaceId} of “${p?.name ?? port.processId}”`;
  };

  const runConnect = async (from: PortRef, to: PortRef, pair?: VersionPair) => {
    setBusy(true);
    setNotice({ tone: "busy", text: `Connecting ${name(from)} to ${name(to)}…` });
    try {
      const made = await connect(api, from, to, pair);
      setNotice({ tone: made.state === "FAILED" ? "error" : "done", text: connectionMessage(made) });
    } catch (e) {
      setNotice({ tone: "error", text: `Not connected: ${e instanceof Error ? e.message : String(e)}` });
    } finally {
      setBusy(false);
    }
  };

  const onConnect = (c: FlowConnection) => {
    const from = draggingRef.current?.from;
    const found = verdictFor(c);
    if (!from || !found?.verdict.ok) {
      return;
    }
    if (needsChoice(found.verdict)) {
      setChoice({ from, to: found.to, pairs: found.verdict.pairs, exact: found.verdict.exact });
    } else {
      void runConnect(from, found.to);
    }
  };

  // --- removing

  const remove = async (s: Selection) => {
    setConfirming(null);
    setBusy(true);
    const what = s.kind === "process" ? `Process “${s.process.name}”` : "The connection";
    setNotice({ tone: "busy", text: s.kind === "process" ? `Terminating “${s.process.name}”…` : "Deleting the connection…" });
    try {
      const r = s.kind === "process" ? await terminateProcess(api, s.process.id) : await deleteConnection(api, s.connection.id);
      setNotice({ tone: r.done ? "done" : "busy", text: removalMessage(what, r) });
      setWatching(r.done ? null : { changeId: r.change.id, what });
    } catch (e) {
      setNotice({ tone: "error", text: `${s.kind === "process" ? "Not terminated" : "Not deleted"}: ${e instanceof Error ? e.message : String(e)}` });
    } finally {
      setBusy(false);
    }
  };

  // Delete asks to remove what is selected; Escape closes its details. Not while a dialog is open
  // (it has the keyboard) or the key is for a field.
  const modal = choice !== null || confirming !== null;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (modal || e.defaultPrevented || target?.closest("input, textarea, select, [contenteditable=true]")) {
        return;
      }
      if (e.key === "Delete" && selection && !busy) {
        e.preventDefault();
        setConfirming(selection);
      } else if (e.key === "Escape" && selection) {
        deselect();
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [modal, selection, busy, deselect]);

  const empty = live.loaded && nodes.length === 0;
  return (
    <div className="canvas">
      {live.trouble && <div className="trouble" role="status">{live.trouble}</div>}
      {notice && (
        <div className={`notice-bar ${notice.tone}`} role={notice.tone === "error" ? "alert" : "status"}>
          {notice.tone === "busy" && <span className="spinner" aria-hidden="true" />}
          <span>{notice.text}</span>
          {(notice.tone !== "busy" || watching) && (
            <button type="button" className="close" aria-label="Dismiss" onClick={() => {
              setNotice(null);
              setWatching(null);
            }}>×</button>
          )}
        </div>
      )}
      {!live.loaded && !live.trouble && <div className="placeholder">Loading your processes…</div>}
      {empty && (
        <div className="placeholder">
          <p>You have no processes yet.</p>
          <p>Start one with the CLI, <code>defpi processes create &lt;service&gt;</code>; it appears here as it starts.</p>
        </div>
      )}
      <DraggingContext.Provider value={dragging}>
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={NODE_TYPES}
          onNodesChange={(changes: NodeChange<ProcessNodeType>[]) => setNodes((ns) => applyNodeChanges(changes, ns))}
          onEdgesChange={(changes: EdgeChange<ConnectionEdge>[]) => {
            for (const c of changes) {
              if (c.type === "select") {
                setSelectedEdge((s) => (c.selected ? c.id : s === c.id ? null : s));
              }
            }
          }}
          onPaneClick={deselect}
          // a port's handles are all of one type: a connection has no direction, and joins them as they are
          connectionMode={ConnectionMode.Loose}
          onConnectStart={onConnectStart}
          isValidConnection={isValidConnection}
          onConnect={onConnect}
          onConnectEnd={() => setDragging(null)}
          connectionRadius={30}
          // removing goes through the API, after asking (our own Delete key handling)
          deleteKeyCode={null}
          multiSelectionKeyCode={null}
          selectionKeyCode={null}
          fitView
          minZoom={0.1}
          proOptions={{ hideAttribution: true }}
        >
          <Background />
          <Controls showInteractive={false} />
          <DropHint dragging={dragging} portAt={portAt} />
        </ReactFlow>
      </DraggingContext.Provider>
      {selection && (
        <Details selection={selection} processes={processes} busy={busy}
          onRemove={() => setConfirming(selection)} onClose={deselect} />
      )}
      {!selection && <Legend />}
      {choice && (
        <ChooseVersions fromName={name(choice.from)} toName={name(choice.to)} pairs={choice.pairs} exact={choice.exact}
          onCancel={() => setChoice(null)}
          onChoose={(pair) => {
            setChoice(null);
            void runConnect(choice.from, choice.to, pair);
          }} />
      )}
      {confirming && <ConfirmRemoval selection={confirming} processes={processes} connectionCount={
        confirming.kind === "process" ? countConnections(confirming.process, connections.values()) : 0}
        onConfirm={() => void remove(confirming)} onCancel={() => setConfirming(null)} />}
    </div>
  );
}

function countConnections(p: Process, connections: Iterable<{ endpoint1: { processId: string }; endpoint2: { processId: string } }>): number {
  let n = 0;
  for (const c of connections) {
    if (c.endpoint1.processId === p.id || c.endpoint2.processId === p.id) {
      n++;
    }
  }
  return n;
}

function ConfirmRemoval({ selection, processes, connectionCount, onConfirm, onCancel }: {
  selection: Selection;
  processes: ReadonlyMap<string, Process>;
  connectionCount: number;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  if (selection.kind === "process") {
    const p = selection.process;
    return (
      <Confirm title={`Terminate “${p.name}”?`} confirm="Terminate" onConfirm={onConfirm} onCancel={onCancel}>
        <p>The process stops and its Swarm service is removed{connectionCount > 0
          ? `, with its ${connectionCount === 1 ? "connection" : `${connectionCount} connections`}` : ""}. This cannot be undone.</p>
      </Confirm>
    );
  }
  const c = selection.connection;
  const end = (e: typeof c.endpoint1) => `“${processes.get(e.processId)?.name ?? e.processId}”`;
  return (
    <Confirm title="Delete the connection?" confirm="Delete" onConfirm={onConfirm} onCancel={onCancel}>
      <p>{end(c.endpoint1)} and {end(c.endpoint2)} are told to close it ({c.endpoint1.interfaceId} ↔ {c.endpoint2.interfaceId}).</p>
    </Confirm>
  );
}

/** While a line is dragged, what the port under the pointer says: accepted, or why not. */
function DropHint({ dragging, portAt }: {
  dragging: Dragging | null;
  portAt: (nodeId: string | undefined, handle: string | undefined) => PortRef | undefined;
}) {
  const to = useConnection((c) => (c.inProgress && c.toHandle ? `${c.toHandle.nodeId}\u0000${c.toHandle.id ?? ""}` : null));
  if (!dragging) {
    return null;
  }
  let text = "Drop on a highlighted port to connect; a greyed one says why it refuses.";
  let tone = "";
  if (to) {
    const [nodeId, handle] = to.split("\u0000");
    const port = portAt(nodeId, handle);
    const v = port ? dragging.verdicts.get(portKey(port)) : undefined;
    if (v) {
      text = dropTitle(v);
      tone = v.ok ? " accepts" : " refuses";
    }
  }
  return <div className={`drop-hint${tone}`} role="status">{text}</div>;
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
