import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type DragEvent } from "react";
import {
  applyNodeChanges, Background, ConnectionMode, Controls, ReactFlow, ReactFlowProvider, useConnection, useReactFlow,
  useStore, useStoreApi, type FitViewOptions, type ReactFlowState,
  type Connection as FlowConnection, type EdgeChange, type IsValidConnection, type NodeChange, type NodeTypes,
  type OnConnectStart,
} from "@xyflow/react";
import type { ApiEvent, Connection, Process } from "../api/client";
import { useCatalog, type Service } from "../create/catalog";
import { CreateDialog } from "../create/CreateDialog";
import { Palette, SERVICE_TYPE } from "../create/Palette";
import { useShell } from "../shell/context";
import {
  connect, connectionMessage, deleteConnection, latestChange, terminateProcess, type ProcessUpdate, type Update,
} from "./actions";
import { ChooseVersions } from "./ChooseVersions";
import { Confirm } from "../shell/Dialog";
import { Details, type Selection } from "./Details";
import { DraggingContext, type Dragging } from "./dragging";
import { dropTitle, needsChoice, portKey, verdicts, type PortRef, type Verdict, type VersionPair } from "./drop";
import {
  CONNECTION_COLOURS, PROCESS_COLOURS, portOfHandle, toEdges, toNodes, withConnected, type ConnectionEdge,
  type ProcessNode as ProcessNodeType,
} from "./graph";
import { NODE_WIDTH, type Point } from "./layout";
import { markCanvasDrawn } from "./mark";
import { MoveDialog, ReconfigureDialog, RenameDialog, UpgradeDialog, type ProcessAction } from "./ProcessDialogs";
import { FLOW_ID, ProcessNode, TinyContext } from "./ProcessNode";
import { CHANGE_KINDS, finished, opStatus, withChange, withEvent, withRecord, type Op, type OpKind, type Tone } from "./track";
import { connectionsOf } from "./upgrade";
import { Unobserved } from "./unobserved";
import { useEnvironment } from "./useEnvironment";
import { useLayoutStore } from "./useLayoutStore";
import { EDGE_TYPES } from "./LineEdge";
import { useTraffic } from "./useTraffic";

const NODE_TYPES: NodeTypes = { process: ProcessNode };
const PRO_OPTIONS = { hideAttribution: true };
/** From this many boxes on, React Flow draws only those in view (a small canvas draws all, so every box is in the page). */
const VISIBLE_ONLY_FROM = 100;
/** Below this zoom a box's hashes and versions are too small to read, and are left out (drawing stays quick). */
const FAR_ZOOM = 0.45;
/** Below this zoom no text of a box can be read (13 px is under 4): none is drawn (TinyContext). */
const TINY_ZOOM = 0.3;
/** How far out the user may zoom; further only if that is what it takes to see the whole environment. */
const MIN_ZOOM = 0.1;
/** The first view shows every box (React Flow fits them as they come, before drawing them). */
const FIT: FitViewOptions = { padding: 0.1, maxZoom: 1, minZoom: 0.01 };
/** The actions kept to show how they went. */
const MAX_OPS = 20;

/** What the bar above the canvas says: a sentence, or how an action is going. */
type Notice = { tone: Tone; text: string } | { op: number };

/** A drop that waits for the user to pick the versions. */
interface Choice {
  from: PortRef;
  to: PortRef;
  pairs: VersionPair[];
  exact: boolean;
}

/** A new process being made: where its box goes (the drop's point, or near the middle of the view). */
interface Creating {
  service: Service;
  at: Point;
  exact: boolean;
}

/**
 * The wiring canvas of the environment shown: the user's processes and connections, as they change,
 * with the registry's services beside it. Its state starts afresh for another user's environment.
 */
export function Canvas() {
  const { viewUserId } = useShell();
  return (
    <ReactFlowProvider key={viewUserId}>
      <CanvasView />
    </ReactFlowProvider>
  );
}

/**
 * Drag a service from the palette onto the canvas (or press its Add…) to start a process; drag from
 * a port to another to connect them; select a process or a connection for its details and actions.
 */
function CanvasView() {
  const { api, me, viewUserId } = useShell();
  const flow = useReactFlow();
  const catalog = useCatalog(api);
  const layoutStore = useLayoutStore(api, viewUserId);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [ops, setOps] = useState<Op[]>([]);
  const nextOp = useRef(1);

  const live = useEnvironment(api, viewUserId, (event: ApiEvent) => {
    setOps((os) => {
      let changed = false;
      const next = os.map((o) => {
        const n = finished(o) ? o : withEvent(o, event);
        changed ||= n !== o;
        return n;
      });
      return changed ? next : os;
    });
  });
  const { processes, connections } = live.env;
  // the rates on the lines: GET /traffic every 2 s while the page is visible
  const traffic = useTraffic(api, viewUserId, connections);
  const [nodes, setNodes] = useState<ProcessNodeType[]>([]);
  const [selectedEdge, setSelectedEdge] = useState<string | null>(null);
  const [dragging, setDragging] = useState<Dragging | null>(null);
  const [choice, setChoice] = useState<Choice | null>(null);
  const [confirming, setConfirming] = useState<Selection | null>(null);
  const [creating, setCreating] = useState<Creating | null>(null);
  const [acting, setActing] = useState<{ action: ProcessAction; process: Process } | null>(null);
  const [busy, setBusy] = useState(false);
  // the boxes are drawn without text when it could not be read; the view's zoom decides, from the
  // first frame on (the first boxes are fitted as React Flow takes them, before they are drawn)
  const tiny = useStore((s) => s.transform[2] < TINY_ZOOM);

  // --- boxes: where the user kept them, where one was dropped, else laid out

  /** Positions not drawn yet: kept for the user, or of a box dropped from the palette. */
  const placed = useRef(new Map<string, Point>());
  /** Boxes to put near a spot (a service added with "Add…"). */
  const near = useRef(new Map<string, Point>());
  /** The processes being created, by service and name: their box goes where asked as soon as it comes. */
  const expected = useRef(new Map<string, Creating>());
  const ready = live.loaded && layoutStore.saved !== null;
  useEffect(() => {
    const saved = layoutStore.saved;
    if (!saved || saved.size === 0) {
      return;
    }
    for (const [id, p] of saved) {
      if (!placed.current.has(id)) {
        placed.current.set(id, p);
      }
    }
    // positions that came after the first layout (a slow answer) move the boxes there
    setNodes((ns) => (ns.some((n) => saved.has(n.id))
      ? ns.map((n) => {
        const p = saved.get(n.id);
        return p && (p.x !== n.position.x || p.y !== n.position.y) ? { ...n, position: p } : n;
      })
      : ns));
  }, [layoutStore.saved]);
  useEffect(() => {
    if (!ready) {
      return; // the first layout waits for the positions kept
    }
    if (expected.current.size > 0) {
      for (const p of processes.values()) {
        const key = `${p.serviceId}\u0000${p.name}`;
        const e = expected.current.get(key);
        if (e) {
          (e.exact ? placed.current : near.current).set(p.id, e.at);
          expected.current.delete(key);
        }
      }
    }
    setNodes((previous) => toNodes(processes.values(), previous, {
      saved: placed.current, near: near.current, connections: connections.values(),
    }));
    // connections matter to new boxes only: a change of theirs alone lays nothing out
  }, [processes, ready]);

  // each port's active connections, on its box (after the boxes above: a new box gets its counts too)
  useEffect(() => {
    setNodes((ns) => withConnected(ns, connections.values()));
  }, [connections, processes, ready]);

  // the boxes that moved are written back for the user once they stop
  const layoutChanged = layoutStore.changed;
  useEffect(() => {
    if (ready) {
      layoutChanged(nodes);
    }
  }, [nodes, ready, layoutChanged]);

  // The very same list while no line changed (a box dragged without its lines changing side): React
  // Flow then takes no new lines, and does not index 1000 of them again on each frame of a drag.
  const previousEdges = useRef<{ list: ConnectionEdge[]; byId: Map<string, ConnectionEdge> }>({ list: [], byId: new Map() });
  const edges = useMemo(() => {
    const previous = previousEdges.current;
    const list = toEdges(connections.values(), nodes, selectedEdge, previous.byId, traffic);
    if (list.length === previous.list.length && list.every((e, i) => e === previous.list[i])) {
      return previous.list;
    }
    previousEdges.current = { list, byId: new Map(list.map((e) => [e.id, e])) };
    return list;
  }, [connections, nodes, selectedEdge, traffic]);

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

  // --- actions followed to their end

  const startOp = (kind: OpKind, targetId: string, what: string, extra: Partial<Op> = {}): number => {
    const key = nextOp.current++;
    setOps((os) => [...os.slice(-(MAX_OPS - 1)), { key, kind, targetId, what, ...extra }]);
    setNotice({ op: key });
    return key;
  };
  const updateOp = (key: number, f: (o: Op) => Op) => setOps((os) => os.map((o) => (o.key === key ? f(o) : o)));

  // the processes' states as the canvas has them: a new one runs, a moved one runs again, one is gone
  useEffect(() => {
    setOps((os) => {
      let changed = false;
      const next = os.map((o) => {
        if (o.kind === "delete" || finished(o)) {
          return o;
        }
        const n = withRecord(o, processes.get(o.targetId));
        changed ||= n !== o;
        return n;
      });
      return changed ? next : os;
    });
  }, [processes]);

  /** Finds the pending change a request that answered at once started, to follow it. */
  const followChange = async (key: number, kind: OpKind, processId: string, update?: Update) => {
    const change = update?.change ?? (CHANGE_KINDS[kind] ? await latestChange(api, processId, CHANGE_KINDS[kind]) : undefined);
    if (change) {
      updateOp(key, (o) => withChange(o, change));
    }
  };

  const opFor = (targetId: string) => {
    for (let i = ops.length - 1; i >= 0; i--) {
      if (ops[i]!.targetId === targetId) {
        return ops[i];
      }
    }
    return undefined;
  };

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

  // The handlers React Flow is given are the same functions from draw to draw: each new one would
  // be a change of React Flow's store, which every box, dot and line on the canvas is asked about.
  const latest = useRef({ onConnectStart, isValidConnection, onConnect });
  latest.current = { onConnectStart, isValidConnection, onConnect };
  const flowHandlers = useMemo(() => ({
    onNodesChange: (changes: NodeChange<ProcessNodeType>[]) => setNodes((ns) => applyNodeChanges(changes, ns)),
    onEdgesChange: (changes: EdgeChange<ConnectionEdge>[]) => {
      for (const c of changes) {
        if (c.type === "select") {
          setSelectedEdge((s) => (c.selected ? c.id : s === c.id ? null : s));
        }
      }
    },
    onConnectStart: ((event, params) => latest.current.onConnectStart(event, params)) as OnConnectStart,
    isValidConnection: ((c) => latest.current.isValidConnection(c)) as IsValidConnection,
    onConnect: (c: FlowConnection) => latest.current.onConnect(c),
    onConnectEnd: () => setDragging(null),
  }), []);

  // --- removing

  const remove = async (s: Selection) => {
    setConfirming(null);
    setBusy(true);
    const isProcess = s.kind === "process";
    const key = isProcess ? startOp("terminate", s.process.id, `“${s.process.name}”`)
      : startOp("delete", s.connection.id, "The connection");
    try {
      const r = isProcess ? await terminateProcess(api, s.process.id) : await deleteConnection(api, s.connection.id);
      updateOp(key, (o) => (r.done ? { ...o, seen: "gone" } : withChange(o, r.change)));
    } catch (e) {
      setNotice({ tone: "error", text: `${isProcess ? "Not terminated" : "Not deleted"}: ${e instanceof Error ? e.message : String(e)}` });
    } finally {
      setBusy(false);
    }
  };

  // --- creating: a service dropped on the canvas, or added

  const wrapper = useRef<HTMLDivElement>(null);
  const services = catalog.services;
  const onDragOver = (e: DragEvent) => {
    if (e.dataTransfer.types.includes(SERVICE_TYPE)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = "copy";
    }
  };
  const onDrop = (e: DragEvent) => {
    const id = e.dataTransfer.getData(SERVICE_TYPE);
    const service = services?.find((s) => s.id === id);
    if (!service) {
      return;
    }
    e.preventDefault();
    const point = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
    // the box's head under the pointer
    setCreating({ service, at: { x: Math.round(point.x - NODE_WIDTH / 2), y: Math.round(point.y - 16) }, exact: true });
  };
  // stable, so the palette is not drawn again on each frame of a drag
  const addFromPalette = useCallback((service: Service) => {
    const r = wrapper.current?.getBoundingClientRect();
    const centre = r ? flow.screenToFlowPosition({ x: r.left + r.width / 2, y: r.top + r.height / 3 }) : { x: 0, y: 0 };
    setCreating({ service, at: { x: Math.round(centre.x - NODE_WIDTH / 2), y: Math.round(centre.y) }, exact: false });
  }, [flow]);

  const created = (c: Creating, p: Process) => {
    setCreating(null);
    expected.current.clear();
    if (c.exact) {
      placed.current.set(p.id, c.at);
      // its event came first: the box is drawn already, elsewhere
      setNodes((ns) => ns.map((n) => (n.id === p.id && (n.position.x !== c.at.x || n.position.y !== c.at.y) ? { ...n, position: c.at } : n)));
    } else if (!nodesRef.current.some((n) => n.id === p.id)) {
      near.current.set(p.id, c.at);
    }
    const key = startOp("create", p.id, `“${p.name}”`);
    updateOp(key, (o) => withRecord(o, p));
    void followChange(key, "create", p.id);
  };

  // --- the details panel's actions

  const updated = (action: ProcessAction, p: Process, update: Update, body: ProcessUpdate) => {
    setActing(null);
    const what = `“${body.name ?? update.process?.name ?? p.name}”`;
    const key = startOp(action, p.id, what, action === "upgrade" && body.version ? { version: body.version } : {});
    if (update.process) {
      updateOp(key, (o) => withRecord(o, update.process));
    }
    if (action !== "rename") {
      void followChange(key, action, p.id, update);
    }
  };

  // Delete asks to remove what is selected; Escape closes its details. Not while a dialog is open
  // (it has the keyboard) or the key is for a field.
  const modal = choice !== null || confirming !== null || creating !== null || acting !== null;
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

  const selectedOp = selection?.kind === "process" ? opFor(selection.process.id)
    : selection?.kind === "connection" ? opFor(selection.connection.id) : undefined;
  // an action's progress is shown above the canvas, or in the details of what it acts on when they are open
  const shownNotice = notice && ("op" in notice
    ? (() => {
      const o = ops.find((x) => x.key === notice.op);
      return o && o !== selectedOp ? opStatus(o) : null;
    })()
    : notice);
  const empty = ready && processes.size === 0;
  const places = useMemo(() => new Map<string, string>([
    ...catalog.pools.map((p): [string, string] => [p.id, p.name]),
    ...catalog.nodes.map((n): [string, string] => [n.id, n.hostname]),
  ]), [catalog.pools, catalog.nodes]);
  const admin = me.role === "admin";

  return (
    <div className="canvas-page">
      <Palette services={services} trouble={catalog.trouble} onAdd={addFromPalette} />
      <div className={`canvas${selection ? " with-details" : ""}`} ref={wrapper} onDragOver={onDragOver} onDrop={onDrop}>
        {live.trouble && <div className="trouble" role="status">{live.trouble}</div>}
        {shownNotice && (
          <div className={`notice-bar ${shownNotice.tone}`} role={shownNotice.tone === "error" ? "alert" : "status"}>
            {shownNotice.tone === "busy" && <span className="spinner" aria-hidden="true" />}
            <span>{shownNotice.text}</span>
            {(shownNotice.tone !== "busy" || "op" in (notice ?? {})) && (
              <button type="button" className="close" aria-label="Dismiss" onClick={() => setNotice(null)}>×</button>
            )}
          </div>
        )}
        {!ready && !live.trouble && <div className="placeholder">Loading the processes…</div>}
        {empty && (
          <div className="placeholder empty">
            <p><strong>{viewUserId === me.id ? "You have no processes yet." : "This user has no processes yet."}</strong></p>
            <p>Drag a service from the palette on the left onto the canvas to start a process of it,<br />
              or press a service's <em>Add…</em> button.</p>
            <p className="muted">Then drag from a port of one box to a port of another to connect them.</p>
          </div>
        )}
        <Unobserved>
          <TinyContext.Provider value={tiny}>
            <DraggingContext.Provider value={dragging}>
              <ReactFlow
                id={FLOW_ID}
                nodes={nodes}
                edges={edges}
                nodeTypes={NODE_TYPES}
                edgeTypes={EDGE_TYPES}
                onNodesChange={flowHandlers.onNodesChange}
                onEdgesChange={flowHandlers.onEdgesChange}
                onPaneClick={deselect}
                // a port's handles are all of one type: a connection has no direction, and joins them as they are
                connectionMode={ConnectionMode.Loose}
                onConnectStart={flowHandlers.onConnectStart}
                isValidConnection={flowHandlers.isValidConnection}
                onConnect={flowHandlers.onConnect}
                onConnectEnd={flowHandlers.onConnectEnd}
                connectionRadius={30}
                // removing goes through the API, after asking (our own Delete key handling)
                deleteKeyCode={null}
                multiSelectionKeyCode={null}
                selectionKeyCode={null}
                onlyRenderVisibleElements={nodes.length >= VISIBLE_ONLY_FROM}
                // the first boxes are fitted into view as React Flow takes them, so the first frame that
                // has them is the fitted one (they come measured: no frame of boxes still being measured)
                fitView
                fitViewOptions={FIT}
                minZoom={MIN_ZOOM}
                proOptions={PRO_OPTIONS}
              >
                <Background />
                <Controls showInteractive={false} />
                <DropHint dragging={dragging} portAt={portAt} />
                <FirstDraw ready={ready && nodes.length === processes.size} processes={processes.size} connections={connections.size} />
                <FarAway />
              </ReactFlow>
            </DraggingContext.Provider>
          </TinyContext.Provider>
        </Unobserved>
        {selection && (
          <Details selection={selection} processes={processes} places={places} busy={busy}
            progress={selectedOp ? opStatus(selectedOp) : undefined}
            onRemove={() => setConfirming(selection)}
            onAction={(action) => selection.kind === "process" && setActing({ action, process: selection.process })}
            onClose={deselect} />
        )}
        {!selection && <Legend />}
      </div>
      {choice && (
        <ChooseVersions fromName={name(choice.from)} toName={name(choice.to)} pairs={choice.pairs} exact={choice.exact}
          onCancel={() => setChoice(null)}
          onChoose={(pair) => {
            setChoice(null);
            void runConnect(choice.from, choice.to, pair);
          }} />
      )}
      {confirming && <ConfirmRemoval selection={confirming} processes={processes} connectionCount={
        confirming.kind === "process" ? connectionsOf(confirming.process.id, connections.values()).length : 0}
        onConfirm={() => void remove(confirming)} onCancel={() => setConfirming(null)} />}
      {creating && (
        <CreateDialog api={api} service={creating.service} nodes={catalog.nodes} pools={catalog.pools}
          userId={viewUserId} onBehalf={admin && viewUserId !== me.id}
          takenNames={[...processes.values()].map((p) => p.name)}
          onSubmit={(n) => expected.current.set(`${creating.service.id}\u0000${n}`, creating)}
          onCreated={(p) => created(creating, p)}
          onCancel={() => {
            expected.current.clear();
            setCreating(null);
          }} />
      )}
      {acting && <ActionDialog acting={acting} nodes={catalog.nodes} pools={catalog.pools} connections={connections.values()}
        onDone={(u, b) => updated(acting.action, acting.process, u, b)} onCancel={() => setActing(null)} />}
    </div>
  );
}

function ActionDialog({ acting, nodes, pools, connections, onDone, onCancel }: {
  acting: { action: ProcessAction; process: Process };
  nodes: Parameters<typeof MoveDialog>[0]["nodes"];
  pools: Parameters<typeof MoveDialog>[0]["pools"];
  connections: Iterable<Connection>;
  onDone: (u: Update, b: ProcessUpdate) => void;
  onCancel: () => void;
}) {
  const { api } = useShell();
  const props = { api, process: acting.process, onDone, onCancel };
  switch (acting.action) {
    case "reconfigure": return <ReconfigureDialog {...props} />;
    case "rename": return <RenameDialog {...props} />;
    case "move": return <MoveDialog {...props} nodes={nodes} pools={pools} />;
    case "upgrade": return <UpgradeDialog {...props} connections={connections} />;
  }
}

/**
 * Zoomed out so far that the boxes' small print cannot be read, the canvas says so by a class on
 * React Flow's own element (`far`, canvas.css leaves the small print out): set in the frame the
 * zoom crosses the line, without drawing the canvas's React tree again.
 */
function FarAway() {
  const far = useStore((s) => s.transform[2] < FAR_ZOOM);
  const domNode = useStore((s) => s.domNode);
  useLayoutEffect(() => {
    domNode?.classList.toggle("far", far);
  }, [far, domNode]);
  return null;
}

/**
 * Once the first environment loaded is drawn, the page gets the `defpi:canvas-drawn` mark (once per
 * page load) that the benchmark waits for. Drawn means what the user sees: the view fitted to the
 * boxes (React Flow fits them as it takes them), and in the page every box and every line that the
 * fitted view shows (counted in the page, against what the view holds); the mark is set after that
 * frame has been painted (in a task after the frame's animation callbacks, when the frame's
 * rendering is done). Its detail says how many processes and connections, boxes and lines drawn,
 * and the zoom. A view that the fit took further out than users may zoom lets them zoom out as far.
 */
function FirstDraw({ ready, processes, connections }: { ready: boolean; processes: number; connections: number }) {
  const store = useStoreApi();
  const taken = useStore((s) => s.nodeLookup.size === processes && !s.fitViewQueued);
  const done = useRef(false);
  useEffect(() => {
    if (done.current || !ready || !(processes === 0 || taken)) {
      return;
    }
    if (processes === 0) {
      done.current = true;
      store.setState({ fitViewQueued: false }); // an empty canvas: the first box added is not fitted to
      markCanvasDrawn({ processes, connections, boxes: 0, lines: 0, zoom: store.getState().transform[2] });
      return;
    }
    let frame = 0;
    let frames = 0;
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      const drawn = countDrawn(store.getState());
      if (drawn) {
        done.current = true;
        markCanvasDrawn({ processes, connections, ...drawn });
        const { minZoom, setMinZoom } = store.getState();
        if (drawn.zoom < minZoom) {
          setMinZoom(drawn.zoom);
        }
      } else if (++frames < 600) {
        frame = requestAnimationFrame(() => channel.port2.postMessage(null));
      }
    };
    frame = requestAnimationFrame(() => channel.port2.postMessage(null));
    return () => {
      cancelAnimationFrame(frame);
      channel.port1.close();
    };
  }, [ready, taken, processes, connections, store]);
  return null;
}

/**
 * The boxes and lines in the page, if it has every one the view shows (a box that overlaps the
 * view; a line whose two boxes' bounds do, as React Flow decides); else null.
 */
function countDrawn(s: ReactFlowState): { boxes: number; lines: number; zoom: number } | null {
  const root = s.domNode;
  const [tx, ty, zoom] = s.transform;
  const viewport = root?.querySelector<HTMLElement>(".react-flow__viewport");
  const shown = Number(/scale\(([^)]+)\)/.exec(viewport?.style.transform ?? "")?.[1]);
  if (!root || !(Math.abs(shown - zoom) <= zoom * 1e-4)) {
    return null; // the fitted view is not the one in the page yet
  }
  const view = { x: -tx / zoom, y: -ty / zoom, x2: (s.width - tx) / zoom, y2: (s.height - ty) / zoom };
  const overlaps = (b: { x: number; y: number; x2: number; y2: number }) =>
    b.x < view.x2 && b.x2 > view.x && b.y < view.y2 && b.y2 > view.y;
  const boxOf = (id: string) => {
    const n = s.nodeLookup.get(id);
    if (!n) {
      return undefined;
    }
    const { x, y } = n.internals.positionAbsolute;
    return { x, y, x2: x + (n.measured.width ?? 0), y2: y + (n.measured.height ?? 0) };
  };
  let boxes = 0;
  for (const id of s.nodeLookup.keys()) {
    const b = boxOf(id);
    if (b && overlaps(b)) {
      boxes++;
    }
  }
  let lines = 0;
  for (const e of s.edges) {
    const a = boxOf(e.source);
    const b = boxOf(e.target);
    if (a && b && overlaps({ x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), x2: Math.max(a.x2, b.x2), y2: Math.max(a.y2, b.y2) })) {
      lines++;
    }
  }
  const inPage = {
    boxes: root.querySelectorAll(".react-flow__node").length,
    lines: root.querySelectorAll(".react-flow__edge").length,
  };
  return inPage.boxes >= boxes && inPage.lines >= lines ? { ...inPage, zoom } : null;
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
