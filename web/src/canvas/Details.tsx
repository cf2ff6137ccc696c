import type { ReactNode } from "react";
import type { Connection, Process } from "../api/client";
import { href } from "../shell/route";
import { CONNECTION_COLOURS, PROCESS_COLOURS } from "./graph";
import { LOCK, securityTitle } from "./security";
import type { ProcessAction } from "./ProcessDialogs";
import type { Tone } from "./track";

export type Selection = { kind: "process"; process: Process } | { kind: "connection"; connection: Connection };

/** The selected process or connection: what it is, and what can be done to it. Escape closes it. */
export function Details({ selection, processes, places, busy, progress, onRemove, onAction, onClose }: {
  selection: Selection;
  processes: ReadonlyMap<string, Process>;
  /** Names of node pools and nodes, by id, to say where a process runs. */
  places?: ReadonlyMap<string, string>;
  /** An action on it is under way. */
  busy: boolean;
  /** How the last action on it is going, or came out. */
  progress?: { tone: Tone; text: string };
  /** Terminate the process or delete the connection (the canvas asks first). */
  onRemove: () => void;
  /** Reconfigure, rename, move or upgrade the process (each opens its dialog). */
  onAction: (action: ProcessAction) => void;
  onClose: () => void;
}) {
  const isProcess = selection.kind === "process";
  const gone = isProcess && selection.process.state === "TERMINATED";
  return (
    <aside className="details" aria-label={isProcess ? "Process details" : "Connection details"}>
      <div className="details-head">
        <h2>{isProcess ? selection.process.name : "Connection"}</h2>
        <button type="button" className="close" aria-label="Close the details (Escape)" title="Close (Escape)" onClick={onClose}>×</button>
      </div>
      {progress && (
        <div className={`details-progress ${progress.tone}`} role={progress.tone === "error" ? "alert" : "status"}>
          {progress.tone === "busy" && <span className="spinner" aria-hidden="true" />}
          <span>{progress.text}</span>
        </div>
      )}
      {isProcess ? <ProcessDetails p={selection.process} places={places} /> : <ConnectionDetails c={selection.connection} processes={processes} />}
      <div className="details-actions" role="group" aria-label={isProcess ? "Process actions" : "Connection actions"}>
        {isProcess && (
          <>
            <button type="button" disabled={busy || gone} onClick={() => onAction("reconfigure")}
              title="Change its configuration (the same form as a new process's)">Reconfigure…</button>
            <button type="button" disabled={busy || gone} onClick={() => onAction("rename")}>Rename…</button>
            <button type="button" disabled={busy || gone} onClick={() => onAction("move")}
              title="Run it on another node pool or private node, with its state">Move…</button>
            <button type="button" disabled={busy || gone} onClick={() => onAction("upgrade")}
              title="Run another version of its service, with its state">Upgrade…</button>
            <a className="button" href={href("logs", { id: selection.process.id })} title="Its container's output, live">Logs</a>
          </>
        )}
        <button type="button" className="danger" disabled={busy} onClick={onRemove}
          title={isProcess ? "Terminate this process (Delete)" : "Delete this connection (Delete)"}>
          {isProcess ? "Terminate…" : "Delete…"}
        </button>
      </div>
    </aside>
  );
}

function Row({ name, children }: { name: string; children: ReactNode }) {
  return <><dt>{name}</dt><dd>{children}</dd></>;
}

function State({ state, colour, reason }: { state: string; colour: string; reason?: string }) {
  return (
    <>
      <span className="state" style={{ background: colour }}>{state.toLowerCase()}</span>
      {reason && <div className="reason">{reason}</div>}
    </>
  );
}

function ProcessDetails({ p, places }: { p: Process; places?: ReadonlyMap<string, string> }) {
  const config = Object.entries(p.configuration).sort(([a], [b]) => a.localeCompare(b));
  return (
    <dl className="facts">
      <Row name="id"><code>{p.id}</code></Row>
      <Row name="service">{p.serviceId}</Row>
      <Row name="version">{p.version}</Row>
      <Row name="state"><State state={p.state} colour={PROCESS_COLOURS[p.state]} reason={p.reason} /></Row>
      <Row name="configuration">
        {config.length === 0 ? <span className="muted">none</span> : (
          <table className="config"><tbody>
            {config.map(([k, v]) => <tr key={k}><th scope="row">{k}</th><td>{v}</td></tr>)}
          </tbody></table>
        )}
      </Row>
      <Row name="placement">{placement(p, places)}</Row>
      {p.runsOn && <Row name="runs on">{places?.get(p.runsOn) ?? <code>{p.runsOn}</code>}</Row>}
      <Row name="TLS">{p.tls ? "holds a certificate: reached in TLS 1.3" : "no certificate: plain TCP"}</Row>
      {(p.memoryMb !== undefined || p.cpus !== undefined) && (
        <Row name="reserved">{[p.memoryMb !== undefined && `${p.memoryMb} MiB`, p.cpus !== undefined && `${p.cpus} CPUs`]
          .filter(Boolean).join(", ")}</Row>
      )}
      {p.mounts && p.mounts.length > 0 && (
        <Row name="mounts">{p.mounts.map((m) => (
          <div key={m.target}>{m.type} {m.source} → {m.target}{m.readOnly ? " (read-only)" : ""}</div>
        ))}</Row>
      )}
      {p.ports && p.ports.length > 0 && (
        <Row name="published">{p.ports.map((port) => (
          <div key={`${port.published}/${port.protocol}`}>{port.published} → {port.target}/{port.protocol}</div>
        ))}</Row>
      )}
      <Row name="created">{p.createdAt}</Row>
    </dl>
  );
}

/** Where a process was asked to run, by name where known. */
export function placement(p: Process, places?: ReadonlyMap<string, string>): string {
  if (p.nodeId) {
    return `private node ${places?.get(p.nodeId) ?? p.nodeId}`;
  }
  if (p.nodePoolId) {
    return `node pool ${places?.get(p.nodePoolId) ?? p.nodePoolId}`;
  }
  return "any public node";
}

function ConnectionDetails({ c, processes }: { c: Connection; processes: ReadonlyMap<string, Process> }) {
  const end = (e: Connection["endpoint1"], version: string) => {
    const p = processes.get(e.processId);
    const i = p?.interfaces.find((x) => x.id === e.interfaceId);
    return (
      <>
        <div><strong>{p?.name ?? e.processId}</strong>{p && <span className="muted"> ({p.serviceId})</span>}</div>
        <div>{i?.name ?? e.interfaceId} <span className="muted">{e.interfaceId}</span>, version {version}</div>
        <div className="muted">listens on {e.listenPort}</div>
      </>
    );
  };
  return (
    <dl className="facts">
      <Row name="id"><code>{c.id}</code></Row>
      <Row name="end 1">{end(c.endpoint1, c.interfaceVersions.endpoint1)}</Row>
      <Row name="end 2">{end(c.endpoint2, c.interfaceVersions.endpoint2)}</Row>
      <Row name="state"><State state={c.state} colour={CONNECTION_COLOURS[c.state]} reason={c.reason} /></Row>
      <Row name="encrypted">{c.encrypted ? `${LOCK} ` : ""}{securityTitle(c, processes.get(c.endpoint1.processId),
        processes.get(c.endpoint2.processId))}</Row>
      <Row name="created">{c.createdAt}</Row>
    </dl>
  );
}
