import { useId, type ReactNode } from "react";
import { elements, toggle, type Errors, type Field, type Values } from "./form";

/** A labelled control with its hint and its problem (the browser's or the API's) beside it. */
export function FieldRow({ id, label, required, hint, error, children }: {
  id: string;
  label: string;
  required?: boolean;
  hint?: ReactNode;
  error?: string;
  children: ReactNode;
}) {
  return (
    <div className={`field${error ? " invalid" : ""}`}>
      {/* the mark outside the label: the field's name is the parameter's name alone (aria-required says the rest) */}
      <span className="field-label"><label htmlFor={id}>{label}</label>{required && <span className="required" aria-hidden="true"> *</span>}</span>
      {children}
      {hint && <small id={`${id}-hint`} className="hint">{hint}</small>}
      {error && <div id={`${id}-error`} className="field-error">{error}</div>}
    </div>
  );
}

/** The ids describing a control: its hint and its problem. */
export function describedBy(id: string, hint: boolean, error: string | undefined): string | undefined {
  return [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") || undefined;
}

/** The fields of a service's parameters, as form.ts models them: labelled with the parameter's name. */
export function ParameterFields({ fields, values, errors, disabled, onChange }: {
  fields: readonly Field[];
  values: Values;
  errors: Errors;
  disabled?: boolean;
  onChange: (key: string, value: string) => void;
}) {
  const base = useId();
  if (fields.length === 0) {
    return <p className="muted">This service has no parameters.</p>;
  }
  return (
    <>
      {fields.map((f, i) => <ParameterField key={f.key} id={`${base}-${i}`} field={f} value={values[f.key] ?? ""}
        error={errors[f.key]} disabled={disabled} onChange={(v) => onChange(f.key, v)} />)}
    </>
  );
}

function hintOf(f: Field): ReactNode {
  return (
    <>
      {f.hint}
      {f.defaultValue !== undefined ? `; empty: the default, ${f.defaultValue}` : f.required ? "" : "; optional"}
      {" · "}<code>{f.id}</code>
    </>
  );
}

function ParameterField({ id, field: f, value, error, disabled, onChange }: {
  id: string;
  field: Field;
  value: string;
  error?: string;
  disabled?: boolean;
  onChange: (value: string) => void;
}) {
  const invalid = error ? true : undefined;
  const described = describedBy(id, true, error);
  if (f.control === "checkboxes") {
    const chosen = new Set(elements(value));
    return (
      <fieldset className={`field checks${error ? " invalid" : ""}`} aria-describedby={described}>
        <legend>{f.label}{f.required && <span className="required" aria-hidden="true"> *</span>}</legend>
        {(f.options ?? []).map((o) => (
          <label key={o.value}>
            <input type="checkbox" checked={chosen.has(o.value)} disabled={disabled}
              onChange={(e) => onChange(toggle(f, value, o.value, e.target.checked))} /> {o.label}
          </label>
        ))}
        <small id={`${id}-hint`} className="hint">{hintOf(f)}</small>
        {error && <div id={`${id}-error`} className="field-error">{error}</div>}
      </fieldset>
    );
  }
  if (f.control === "select") {
    const known = f.options?.some((o) => o.value === value) ?? false;
    const empty = f.required ? "— choose —" : f.defaultValue !== undefined ? `(the default: ${f.defaultValue})` : "(not set)";
    return (
      <FieldRow id={id} label={f.label} required={f.required} hint={hintOf(f)} error={error}>
        <select id={id} value={value} disabled={disabled} aria-invalid={invalid} aria-describedby={described}
          aria-required={f.required || undefined} onChange={(e) => onChange(e.target.value)}>
          <option value="">{empty}</option>
          {!known && value !== "" && <option value={value}>{value} (not allowed)</option>}
          {(f.options ?? []).map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
        </select>
      </FieldRow>
    );
  }
  return (
    <FieldRow id={id} label={f.label} required={f.required} hint={hintOf(f)} error={error}>
      <input id={id} type="text" inputMode={f.inputMode} autoComplete="off" spellCheck={false} value={value}
        disabled={disabled} aria-invalid={invalid} aria-describedby={described} aria-required={f.required || undefined}
        placeholder={f.defaultValue !== undefined ? `default: ${f.defaultValue}` : f.required ? "required" : "optional"}
        onChange={(e) => onChange(e.target.value)} />
    </FieldRow>
  );
}
