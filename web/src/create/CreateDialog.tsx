import { useEffect, useId, useMemo, useState, type FormEvent } from "react";
import { data, type Api, type Process } from "../api/client";
import { createProcess } from "../canvas/actions";
import { Dialog } from "../shell/Dialog";
import type { Service } from "./catalog";
import { describedBy, FieldRow, ParameterFields } from "./Fields";
import {
  ANY_PUBLIC, CPUS, fieldsOf, initialValues, MEMORY, NAME, nameProblem, PLACEMENT, placeChoices, placementBody,
  resourceProblems, toConfiguration, uniqueName, validate, VERSION, type Errors, type Node, type Pool,
  type Values,
} from "./form";
import { useFormErrors } from "./useFormErrors";

/**
 * A new process of a service: its name, version, where it runs, its parameters (a form generated
 * from their types, checked here and by the API, whose reasons appear beside the field they concern)
 * and, if wanted, the memory and CPUs it reserves.
 */
export function CreateDialog({ api, service: listed, nodes, pools, userId, onBehalf, takenNames, onCreated, onCancel, onSubmit }: {
  api: Api;
  service: Service;
  nodes: readonly Node[];
  pools: readonly Pool[];
  /** Whose environment: private nodes are this user's. */
  userId: string;
  /** An admin starting it in another user's environment (sent as userId). */
  onBehalf: boolean;
  takenNames: Iterable<string>;
  onCreated: (p: Process) => void;
  onCancel: () => void;
  /** Told the name as the request goes out, so the box can be put where it was dropped as soon as it comes. */
  onSubmit?: (name: string) => void;
}) {
  const [service, setService] = useState(listed);
  const fields = useMemo(() => fieldsOf(service.parameters), [service]);
  const [values, setValues] = useState<Values>(() => initialValues(fieldsOf(listed.parameters)));
  const [name, setName] = useState(() => uniqueName(listed.id, takenNames));
  const defaultVersion = listed.version ?? listed.versions.find((v) => v.valid)?.version ?? "";
  const [version, setVersion] = useState(defaultVersion);
  const [where, setWhere] = useState(ANY_PUBLIC);
  const [memoryMb, setMemoryMb] = useState("");
  const [cpus, setCpus] = useState("");
  const { form, errors, general, show, clear, refused } = useFormErrors();
  const [busy, setBusy] = useState(false);
  const ids = useId();
  const formId = `${ids}-form`;

  // the service as the registry has it now (the palette's list may be older)
  useEffect(() => {
    let current = true;
    data(api.GET("/service/{id}", { params: { path: { id: listed.id } } })).then((fresh) => {
      if (current && JSON.stringify(fresh.parameters) !== JSON.stringify(listed.parameters)) {
        setService(fresh);
        setValues(initialValues(fieldsOf(fresh.parameters)));
      }
    }, () => {});
    return () => {
      current = false;
    };
  }, [api, listed]);

  const choices = placeChoices(nodes, pools, userId);
  const change = (key: string, value: string) => {
    setValues((v) => ({ ...v, [key]: value }));
    clear(key);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problems: Errors = { ...validate(fields, values), ...resourceProblems(memoryMb, cpus) };
    const n = nameProblem(name);
    if (n) {
      problems[NAME] = n;
    }
    show(problems);
    if (Object.keys(problems).length > 0) {
      return;
    }
    setBusy(true);
    onSubmit?.(name);
    try {
      const p = await createProcess(api, {
        serviceId: service.id,
        name,
        ...(version ? { version } : {}),
        configuration: toConfiguration(fields, values),
        ...placementBody(where),
        ...(memoryMb.trim() ? { memoryMb: Number(memoryMb) } : {}),
        ...(cpus.trim() ? { cpus: Number(cpus) } : {}),
        ...(onBehalf ? { userId } : {}),
      });
      onCreated(p);
    } catch (x) {
      refused(x, fields);
      setBusy(false);
    }
  };

  const versionInfo = service.versions.find((v) => v.version === version);
  return (
    <Dialog title={`New process of ${service.name}`} className="wide" onClose={() => !busy && onCancel()} actions={<>
      <button type="submit" form={formId} className="primary" disabled={busy}>{busy ? "Creating…" : "Create"}</button>
      <button type="button" onClick={onCancel} disabled={busy}>Cancel</button>
    </>}>
      <form id={formId} ref={form} noValidate onSubmit={(e) => void submit(e)} aria-describedby={general ? `${ids}-general` : undefined}>
        <p className="muted form-intro">{service.id}{service.interfaces.length > 0
          ? `: ${service.interfaces.map((i) => i.name).join(", ")}` : ""}. Fields marked * are required.</p>
        {general && <div id={`${ids}-general`} className="form-error" role="alert">{general}</div>}
        {busy && (
          <div className="form-progress" role="status">
            <span className="spinner" aria-hidden="true" /> Creating “{name}”: the orchestrator starts its Swarm service…
          </div>
        )}
        <fieldset className="group" disabled={busy}>
          <legend>Process</legend>
          <FieldRow id={`${ids}-name`} label="Name" required error={errors[NAME]} hint="1 to 128 characters">
            <input id={`${ids}-name`} type="text" value={name} autoComplete="off" spellCheck={false} data-autofocus aria-required
              aria-invalid={errors[NAME] ? true : undefined} aria-describedby={describedBy(`${ids}-name`, true, errors[NAME])}
              onChange={(e) => {
                setName(e.target.value);
                clear(NAME);
              }} />
          </FieldRow>
          <FieldRow id={`${ids}-version`} label="Version" error={errors[VERSION]}
            hint={version !== defaultVersion ? `The fields below are those of ${defaultVersion || "the default version"}; ${version} may take others (the orchestrator checks).` : "the latest by default"}>
            <select id={`${ids}-version`} value={version} aria-invalid={errors[VERSION] ? true : undefined}
              aria-describedby={describedBy(`${ids}-version`, true, errors[VERSION])}
              onChange={(e) => {
                setVersion(e.target.value);
                clear(VERSION);
              }}>
              {service.versions.length === 0 && <option value="">(the default)</option>}
              {service.versions.map((v) => (
                <option key={v.version} value={v.version} disabled={!v.valid}>
                  {v.version}{v.version === service.version ? " (latest)" : ""}{v.valid ? "" : ` (cannot be run: ${v.reason ?? "invalid"})`}
                </option>
              ))}
            </select>
          </FieldRow>
          {versionInfo && !versionInfo.valid && <p className="field-error">This version cannot be run.</p>}
          <FieldRow id={`${ids}-where`} label="Where" error={errors[PLACEMENT]} hint="any public node, a node pool, or one of your private nodes">
            <select id={`${ids}-where`} value={where} aria-invalid={errors[PLACEMENT] ? true : undefined}
              aria-describedby={describedBy(`${ids}-where`, true, errors[PLACEMENT])}
              onChange={(e) => {
                setWhere(e.target.value);
                clear(PLACEMENT);
              }}>
              {choices.filter((c) => c.group === "any").map((c) => <option key={c.value} value={c.value}>{c.label}</option>)}
              {choices.some((c) => c.group === "pool") && (
                <optgroup label="Node pools">
                  {choices.filter((c) => c.group === "pool").map((c) => <option key={c.value} value={c.value}>{c.label}</option>)}
                </optgroup>
              )}
              {choices.some((c) => c.group === "node") && (
                <optgroup label={onBehalf ? "The user's private nodes" : "Your private nodes"}>
                  {choices.filter((c) => c.group === "node").map((c) => <option key={c.value} value={c.value}>{c.label}</option>)}
                </optgroup>
              )}
            </select>
          </FieldRow>
        </fieldset>
        <fieldset className="group" disabled={busy}>
          <legend>Configuration</legend>
          <ParameterFields fields={fields} values={values} errors={errors} onChange={change} />
        </fieldset>
        <details className="group" open={Boolean(errors[MEMORY] || errors[CPUS]) || undefined}>
          <summary>Resources (optional)</summary>
          <fieldset className="group plain" disabled={busy}>
            <legend className="visually-hidden">Resources</legend>
            <FieldRow id={`${ids}-memory`} label="Memory (MiB)" error={errors[MEMORY]} hint="reserved and its limit; 6 to 1048576">
              <input id={`${ids}-memory`} type="text" inputMode="numeric" value={memoryMb} autoComplete="off"
                aria-invalid={errors[MEMORY] ? true : undefined} aria-describedby={describedBy(`${ids}-memory`, true, errors[MEMORY])}
                onChange={(e) => setMemoryMb(e.target.value)} />
            </FieldRow>
            <FieldRow id={`${ids}-cpus`} label="CPUs" error={errors[CPUS]} hint="reserved and the limit, like 0.5">
              <input id={`${ids}-cpus`} type="text" inputMode="decimal" value={cpus} autoComplete="off"
                aria-invalid={errors[CPUS] ? true : undefined} aria-describedby={describedBy(`${ids}-cpus`, true, errors[CPUS])}
                onChange={(e) => setCpus(e.target.value)} />
            </FieldRow>
          </fieldset>
        </details>
      </form>
    </Dialog>
  );
}
