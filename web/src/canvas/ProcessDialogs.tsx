import { useEffect, useId, useMemo, useState, type FormEvent, type ReactNode } from "react";
import { data, type Api, type Connection, type Process } from "../api/client";
import type { Service } from "../create/catalog";
import { describedBy, FieldRow, ParameterFields } from "../create/Fields";
import {
  choiceOf, fieldsOf, initialValues, moveBody, NAME, nameProblem, PLACEMENT, placeChoices,
  sameConfiguration, toConfiguration, validate, VERSION, type Errors, type Field, type Node, type Pool, type Values,
} from "../create/form";
import { useFormErrors } from "../create/useFormErrors";
import { updateProcess, type ProcessUpdate, type Update } from "./actions";
import { Dialog } from "../shell/Dialog";
import { brokenConnections, connectionsOf } from "./upgrade";

/** What the details panel can do to a process, besides terminating it. */
export type ProcessAction = "reconfigure" | "rename" | "move" | "upgrade";

/** A dialog that puts an update of the process and says why the API refused, beside the field concerned. */
function UpdateDialog({ api, process: p, title, submitLabel, fields = [], check, body, intro, children, onDone, onCancel }: {
  api: Api;
  process: Process;
  title: string;
  submitLabel: string;
  fields?: readonly Field[];
  /** The browser's own check, by field key. */
  check: () => Errors;
  /** The update to put; null when there is nothing to change. */
  body: () => ProcessUpdate | null;
  intro?: ReactNode;
  children: (errors: Errors, busy: boolean, clear: (key: string) => void) => ReactNode;
  onDone: (update: Update, body: ProcessUpdate) => void;
  onCancel: () => void;
}) {
  const { form, errors, general, show, clear, refused } = useFormErrors();
  const [busy, setBusy] = useState(false);
  const formId = `${useId()}-form`;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problems = check();
    show(problems);
    if (Object.keys(problems).length > 0) {
      return;
    }
    const b = body();
    if (!b) {
      onCancel(); // nothing changed
      return;
    }
    setBusy(true);
    try {
      onDone(await updateProcess(api, p.id, b), b);
    } catch (x) {
      refused(x, fields);
      setBusy(false);
    }
  };

  return (
    <Dialog title={title} className="wide" onClose={() => !busy && onCancel()} actions={<>
      <button type="submit" form={formId} className="primary" disabled={busy}>{busy ? `${submitLabel}…` : submitLabel}</button>
      <button type="button" onClick={onCancel} disabled={busy}>Cancel</button>
    </>}>
      <form id={formId} ref={form} noValidate onSubmit={(e) => void submit(e)}>
        {intro}
        {general && <div className="form-error" role="alert">{general}</div>}
        {busy && <div className="form-progress" role="status"><span className="spinner" aria-hidden="true" /> Waiting for the orchestrator…</div>}
        <fieldset className="group plain" disabled={busy}>{children(errors, busy, clear)}</fieldset>
      </form>
    </Dialog>
  );
}

/** The process's service as the registry has it (for its parameters and versions); null while it is read. */
function useService(api: Api, serviceId: string): { service: Service | null; trouble: string | null } {
  const [state, setState] = useState<{ service: Service | null; trouble: string | null }>({ service: null, trouble: null });
  useEffect(() => {
    let current = true;
    data(api.GET("/service/{id}", { params: { path: { id: serviceId } } })).then(
      (service) => current && setState({ service, trouble: null }),
      (e: unknown) => current && setState({ service: null, trouble: e instanceof Error ? e.message : String(e) }));
    return () => {
      current = false;
    };
  }, [api, serviceId]);
  return state;
}

export function RenameDialog({ api, process: p, onDone, onCancel }: {
  api: Api; process: Process; onDone: (u: Update, b: ProcessUpdate) => void; onCancel: () => void;
}) {
  const [name, setName] = useState(p.name);
  const id = useId();
  return (
    <UpdateDialog api={api} process={p} title={`Rename “${p.name}”`} submitLabel="Rename"
      check={(): Errors => {
        const problem = nameProblem(name);
        return problem ? { [NAME]: problem } : {};
      }}
      body={() => (name === p.name ? null : { name })} onDone={onDone} onCancel={onCancel}>
      {(errors, _busy, clear) => (
        <FieldRow id={id} label="Name" required error={errors[NAME]} hint="1 to 128 characters">
          <input id={id} type="text" value={name} data-autofocus autoComplete="off" spellCheck={false} aria-required
            aria-invalid={errors[NAME] ? true : undefined} aria-describedby={describedBy(id, true, errors[NAME])}
            onChange={(e) => {
              setName(e.target.value);
              clear(NAME);
            }} />
        </FieldRow>
      )}
    </UpdateDialog>
  );
}

export function ReconfigureDialog({ api, process: p, onDone, onCancel }: {
  api: Api; process: Process; onDone: (u: Update, b: ProcessUpdate) => void; onCancel: () => void;
}) {
  const { service, trouble } = useService(api, p.serviceId);
  const fields = useMemo(() => (service ? fieldsOf(service.parameters) : []), [service]);
  const [values, setValues] = useState<Values | null>(null);
  useEffect(() => {
    if (service) {
      setValues(initialValues(fieldsOf(service.parameters), p.configuration));
    }
  }, [service, p.configuration]);
  const shown = values ?? {};
  const otherVersion = service && service.version !== p.version;
  return (
    <UpdateDialog api={api} process={p} title={`Reconfigure “${p.name}”`} submitLabel="Reconfigure" fields={fields}
      check={() => validate(fields, shown)}
      body={() => {
        const configuration = toConfiguration(fields, shown);
        return sameConfiguration(configuration, p.configuration) ? null : { configuration };
      }}
      intro={<p className="muted form-intro">The process gets its whole new configuration as an update; an empty field
        is left out, so its default applies.{otherVersion
          ? ` The fields are those of ${service.version}, the service's latest version; the process runs ${p.version} (the orchestrator checks against that).` : ""}</p>}
      onDone={onDone} onCancel={onCancel}>
      {(errors, _busy, clear) => (
        <fieldset className="group">
          <legend>Configuration</legend>
          {!service && !trouble && <p className="muted">Reading the service's parameters…</p>}
          {trouble && <p className="error">The service cannot be read: {trouble}</p>}
          {service && values && <ParameterFields fields={fields} values={values} errors={errors}
            onChange={(key, v) => {
              setValues((x) => ({ ...(x ?? {}), [key]: v }));
              clear(key);
            }} />}
        </fieldset>
      )}
    </UpdateDialog>
  );
}

export function MoveDialog({ api, process: p, nodes, pools, onDone, onCancel }: {
  api: Api; process: Process; nodes: readonly Node[]; pools: readonly Pool[];
  onDone: (u: Update, b: ProcessUpdate) => void; onCancel: () => void;
}) {
  const choices = placeChoices(nodes, pools, p.userId);
  const current = choiceOf(p);
  const [where, setWhere] = useState(() => choices.find((c) => c.value !== current)?.value ?? "");
  const id = useId();
  return (
    <UpdateDialog api={api} process={p} title={`Move “${p.name}”`} submitLabel="Move"
      check={(): Errors => (where ? {} : { [PLACEMENT]: "Choose where." })}
      body={() => (where === current ? null : moveBody(where))}
      intro={<p className="muted form-intro">It is suspended, its state handed over, and resumed on the new place with its
        connections. It now runs on {current === "any" ? "any public node" : choices.find((c) => c.value === current)?.label ?? current}.</p>}
      onDone={onDone} onCancel={onCancel}>
      {(errors, _busy, clear) => (
        <FieldRow id={id} label="Where" error={errors[PLACEMENT]} hint="any public node, a node pool, or one of the user's private nodes">
          <select id={id} value={where} data-autofocus aria-invalid={errors[PLACEMENT] ? true : undefined}
            aria-describedby={describedBy(id, true, errors[PLACEMENT])}
            onChange={(e) => {
              setWhere(e.target.value);
              clear(PLACEMENT);
            }}>
            {choices.filter((c) => c.group === "any").map((c) => (
              <option key={c.value} value={c.value}>{c.label}{c.value === current ? " (now)" : ""}</option>
            ))}
            {choices.some((c) => c.group === "pool") && (
              <optgroup label="Node pools">
                {choices.filter((c) => c.group === "pool").map((c) => (
                  <option key={c.value} value={c.value}>{c.label}{c.value === current ? " (now)" : ""}</option>
                ))}
              </optgroup>
            )}
            {choices.some((c) => c.group === "node") && (
              <optgroup label="Private nodes">
                {choices.filter((c) => c.group === "node").map((c) => (
                  <option key={c.value} value={c.value}>{c.label}{c.value === current ? " (now)" : ""}</option>
                ))}
              </optgroup>
            )}
          </select>
        </FieldRow>
      )}
    </UpdateDialog>
  );
}

export function UpgradeDialog({ api, process: p, connections, onDone, onCancel }: {
  api: Api; process: Process; connections: Iterable<Connection>;
  onDone: (u: Update, b: ProcessUpdate) => void; onCancel: () => void;
}) {
  const { service, trouble } = useService(api, p.serviceId);
  const [version, setVersion] = useState("");
  // the digest it runs: a tag of the same image (latest, often) is no upgrade
  const digest = service?.versions.find((v) => v.version === p.version)?.digest;
  useEffect(() => {
    if (service && !version) {
      const candidates = service.versions.filter((v) => v.valid && v.version !== p.version && v.digest !== digest);
      setVersion(candidates.find((v) => v.version === service.version)?.version ?? candidates[0]?.version ?? p.version);
    }
  }, [service, version, p.version, digest]);
  const mine = connectionsOf(p.id, connections);
  // the interfaces of the version chosen are known for the default one only (GET /service gives those)
  const broken = service && version === service.version ? brokenConnections(p, mine, service.interfaces) : null;
  const id = useId();
  return (
    <UpdateDialog api={api} process={p} title={`Upgrade “${p.name}”`} submitLabel="Upgrade"
      check={(): Errors => (version ? {} : { [VERSION]: "Choose a version." })}
      body={() => (version === p.version ? null : { version })}
      intro={<p className="muted form-intro">It runs {p.version}. It is suspended, its state kept, and resumed from it in the
        new version's container, with its configuration and connections.</p>}
      onDone={onDone} onCancel={onCancel}>
      {(errors, _busy, clear) => (
        <>
          {!service && !trouble && <p className="muted">Reading the service's versions…</p>}
          {trouble && <p className="error">The service cannot be read: {trouble}</p>}
          {service && (
            <FieldRow id={id} label="Version" error={errors[VERSION]} hint={`of ${service.id}`}>
              <select id={id} value={version} data-autofocus aria-invalid={errors[VERSION] ? true : undefined}
                aria-describedby={describedBy(id, true, errors[VERSION])}
                onChange={(e) => {
                  setVersion(e.target.value);
                  clear(VERSION);
                }}>
                {service.versions.map((v) => (
                  <option key={v.version} value={v.version} disabled={!v.valid}>
                    {v.version}{v.version === service.version ? " (latest)" : ""}{v.version === p.version ? " (now)"
                      : v.digest === digest ? " (the same image as now)" : ""}
                    {v.valid ? "" : ` (cannot be run: ${v.reason ?? "invalid"})`}
                  </option>
                ))}
              </select>
            </FieldRow>
          )}
          {mine.length > 0 && (
            <div className={`warning${broken && broken.length > 0 ? " serious" : ""}`} role="note">
              {broken && broken.length > 0
                ? <>This version does not offer the interface version {broken.length === 1 ? "a connection uses" : `${broken.length} connections use`}:
                  the orchestrator refuses the upgrade until {broken.length === 1 ? "it is" : "they are"} deleted.</>
                : <>It has {mine.length === 1 ? "a connection" : `${mine.length} connections`}: {broken
                  ? "this version keeps them (they are suspended while it restarts)."
                  : "the new version must offer the interface versions they use, or the orchestrator refuses the upgrade."}</>}
            </div>
          )}
        </>
      )}
    </UpdateDialog>
  );
}
