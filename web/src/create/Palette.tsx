import { memo, useState } from "react";
import { interfacesText, runnable, type Service } from "./catalog";

/** The drag's data type: a service's id. */
export const SERVICE_TYPE = "application/x-defpi-service";

/**
 * The services of the registry, beside the canvas: drag one onto it, or press its "Add…" (keyboard,
 * tablet), to start a process of it. Each says its latest version and its interfaces.
 */
export const Palette = memo(function Palette({ services, trouble, onAdd }: {
  services: Service[] | null;
  trouble: string | null;
  onAdd: (service: Service) => void;
}) {
  const [filter, setFilter] = useState("");
  // a narrow screen (a tablet) starts with the canvas's room; "Services ›" shows them
  const [open, setOpen] = useState(() => typeof window === "undefined" || !window.matchMedia
    || window.matchMedia("(min-width: 900px)").matches);
  const shown = (services ?? []).filter((s) => `${s.name} ${s.id}`.toLowerCase().includes(filter.trim().toLowerCase()));
  if (!open) {
    return (
      <aside className="palette closed" aria-label="Services">
        <button type="button" className="palette-toggle" aria-expanded="false" onClick={() => setOpen(true)}
          title="Show the services">Services ›</button>
      </aside>
    );
  }
  return (
    <aside className="palette" aria-label="Services">
      <div className="palette-head">
        <h2 id="palette-title">Services</h2>
        <button type="button" className="palette-toggle" aria-expanded="true" onClick={() => setOpen(false)}
          title="Hide the services">‹</button>
      </div>
      <p className="palette-help">Drag a service onto the canvas, or press its Add….</p>
      {services && services.length > 6 && (
        <input type="search" className="palette-filter" aria-label="Filter the services" placeholder="filter"
          value={filter} onChange={(e) => setFilter(e.target.value)} />
      )}
      {services === null && !trouble && <p className="muted">Loading the services…</p>}
      {trouble && <p className="error" role="alert">The services cannot be read: {trouble}</p>}
      {services !== null && services.length === 0 && !trouble && <p className="muted">The registry has no services.</p>}
      <ul className="palette-list" aria-labelledby="palette-title">
        {shown.map((s) => <PaletteItem key={s.id} service={s} onAdd={onAdd} />)}
      </ul>
    </aside>
  );
});

function PaletteItem({ service: s, onAdd }: { service: Service; onAdd: (s: Service) => void }) {
  const ok = runnable(s);
  const why = ok ? undefined : s.versions.find((v) => v.reason)?.reason ?? "it has no valid version";
  const label = `${s.name} (${s.id})`;
  return (
    <li className={`palette-item${ok ? "" : " invalid"}`} aria-label={label} data-service-id={s.id} draggable={ok}
      title={ok ? `Drag “${s.name}” onto the canvas to start a process of it` : `Cannot be run: ${why}`}
      onDragStart={(e) => {
        e.dataTransfer.setData(SERVICE_TYPE, s.id);
        e.dataTransfer.setData("text/plain", s.id);
        e.dataTransfer.effectAllowed = "copy";
      }}>
      <div className="palette-name">{s.name}</div>
      <div className="palette-id">
        {s.id}
        {s.version && <> · <span className="palette-version" title="the latest (default) version">{s.version}</span></>}
      </div>
      <div className="palette-interfaces">{s.interfaces.length > 0 ? interfacesText(s) : "no interfaces"}</div>
      {!ok && <div className="palette-why">cannot be run: {why}</div>}
      <button type="button" disabled={!ok} aria-label={`Add ${label}…`} onClick={() => onAdd(s)}>Add…</button>
    </li>
  );
}
