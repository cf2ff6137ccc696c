import type { components } from "../generated/openapi";
import type { Problem } from "../api/problem";

/**
 * The create and reconfigure forms, generated from a service's typed parameters: the field each
 * parameter gets, the values it starts with, what the browser checks before sending (as the
 * orchestrator's ConfigurationCheck and the service's generated binder would), the configuration
 * sent, and which field a refusal of the API concerns. Pure: the components only draw it.
 *
 * Every value is kept as the text of its control. An empty one is not sent: the service's default
 * then applies (or, for an optional parameter without one, the parameter is absent).
 */

export type Parameter = components["schemas"]["Parameter"];
export type ParameterType = Parameter["type"];
export type Node = components["schemas"]["Node"];
export type Pool = components["schemas"]["Pool"];

/** One allowed value and what the user reads for it. */
export interface Option {
  value: string;
  label: string;
}

/** A parameter's field. */
export interface Field {
  /** The field's key in values and errors: `p:<parameter id>`, never clashing with name, version, placement… */
  key: string;
  /** The parameter's id: the configuration key. */
  id: string;
  /** The parameter's name: the field's label. */
  label: string;
  type: ParameterType;
  array: boolean;
  /** Must be given: not optional, and no default to fall back on. */
  required: boolean;
  /** The default as written in the service's labels. */
  defaultValue?: string;
  /** The values to choose from: the allowed ones (with their labels), or true and false. */
  options?: Option[];
  /** Only the allowed values are taken (the parameter lists some). */
  restricted: boolean;
  /** A select (one allowed value, or a boolean), checkboxes (several allowed values) or a text box. */
  control: "select" | "checkboxes" | "text";
  /** For a text box: the keyboard a tablet shows. */
  inputMode?: "numeric" | "decimal" | "text";
  /** What it takes, in words: "whole number, -128 to 127", "comma-separated decimal numbers". */
  hint: string;
}

export type Values = Record<string, string>;
export type Errors = Record<string, string>;

export const paramKey = (id: string) => `p:${id}`;

// --- values of a type (as ParameterValues and ConfigurationCheck read them)

const INTEGER_RANGES: Partial<Record<ParameterType, [bigint, bigint]>> = {
  byte: [-128n, 127n],
  short: [-32768n, 32767n],
  integer: [-2147483648n, 2147483647n],
  long: [-9223372036854775808n, 9223372036854775807n],
};
const FLOAT_MAX = 3.4028234663852886e38;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** What a value of the type is, in words, for hints and messages. */
export function describeType(type: ParameterType): string {
  const range = INTEGER_RANGES[type];
  if (range) {
    return type === "long" ? "a whole number" : `a whole number from ${range[0]} to ${range[1]}`;
  }
  switch (type) {
    case "float":
    case "double":
      return "a number, like 1.5 or 2e3";
    case "boolean":
      return "true or false";
    case "character":
      return "a single character";
    default:
      return "text";
  }
}

/** Why {@code raw} is not a value of the type, or undefined when it is. {@code raw} is as sent (trimmed for all but characters and strings). */
export function typeProblem(type: ParameterType, raw: string): string | undefined {
  const range = INTEGER_RANGES[type];
  if (range) {
    if (!/^[+-]?\d+$/.test(raw)) {
      return `'${raw}' is not ${describeType(type)}`;
    }
    const n = BigInt(raw);
    return n < range[0] || n > range[1] ? `${raw} is out of range: ${range[0]} to ${range[1]}` : undefined;
  }
  switch (type) {
    case "float":
    case "double": {
      if (!DECIMAL.test(raw)) {
        return `'${raw}' is not a number (like 1.5 or 2e3)`;
      }
      const n = Number(raw);
      const max = type === "float" ? FLOAT_MAX : Number.MAX_VALUE;
      return !Number.isFinite(n) || Math.abs(n) > max ? `${raw} is too large for a ${type}` : undefined;
    }
    case "boolean":
      return /^(true|false)$/i.test(raw) ? undefined : `'${raw}' is not true or false`;
    case "character":
      return raw.length === 1 ? undefined : `'${raw}' is not a single character`;
    default:
      return undefined;
  }
}

/** The canonical form of a value of the type, as allowed values are compared ("010" is "10"); undefined if it is none. */
export function normalize(type: ParameterType, raw: string): string | undefined {
  const t = type === "character" || type === "string" ? raw : raw.trim();
  if (typeProblem(type, t) !== undefined) {
    return undefined;
  }
  if (INTEGER_RANGES[type]) {
    return BigInt(t).toString();
  }
  switch (type) {
    case "float":
    case "double":
      return String(Number(t));
    case "boolean":
      return t.toLowerCase();
    default:
      return t;
  }
}

/** The elements of an array value: comma-separated, optionally in [ ], each trimmed and stripped of one pair of quotes. */
export function elements(raw: string): string[] {
  let t = raw.trim();
  if (t.startsWith("[") && t.endsWith("]")) {
    t = t.slice(1, -1).trim();
  }
  if (t === "") {
    return [];
  }
  return t.split(",").map((e) => {
    const x = e.trim();
    return x.length >= 2 && x.startsWith("\"") && x.endsWith("\"") ? x.slice(1, -1) : x;
  });
}

// --- the fields

/** A field per parameter, in the service's order. */
export function fieldsOf(parameters: readonly Parameter[]): Field[] {
  return parameters.map((p) => {
    const options = p.values.length > 0
      ? p.values.map((value, i) => ({ value, label: p.labels[i] && p.labels[i] !== value ? `${p.labels[i]} (${value})` : value }))
      : p.type === "boolean" && !p.isArray ? [{ value: "true", label: "true" }, { value: "false", label: "false" }] : undefined;
    const control: Field["control"] = options ? (p.isArray ? "checkboxes" : "select") : "text";
    const numeric = INTEGER_RANGES[p.type] !== undefined;
    const decimal = p.type === "float" || p.type === "double";
    const what = describeType(p.type);
    const hint = p.isArray
      ? options ? "any of these" : `comma-separated; each ${what}`
      : options ? "one of these" : what;
    return {
      key: paramKey(p.id),
      id: p.id,
      label: p.name || p.id,
      type: p.type,
      array: p.isArray,
      required: !p.isOptional && p.default === undefined,
      ...(p.default !== undefined ? { defaultValue: p.default } : {}),
      ...(options ? { options } : {}),
      restricted: p.values.length > 0,
      control,
      ...(control === "text" ? { inputMode: numeric && !p.isArray ? "numeric" as const : decimal && !p.isArray ? "decimal" as const : "text" as const } : {}),
      hint,
    };
  });
}

/** A value as the field's control shows it: an allowed value as it is listed, an array's elements joined. */
function display(field: Field, raw: string): string {
  if (field.array) {
    const items = elements(raw);
    if (field.control === "checkboxes") {
      return items.map((e) => matchOption(field, e) ?? e).join(",");
    }
    return items.join(", ");
  }
  if (field.control === "select") {
    return matchOption(field, raw) ?? raw;
  }
  return raw;
}

/** The allowed value that {@code raw} is (compared in canonical form), if any. */
function matchOption(field: Field, raw: string): string | undefined {
  const n = normalize(field.type, raw);
  return field.options?.find((o) => o.value === raw || (n !== undefined && normalize(field.type, o.value) === n))?.value;
}

/**
 * The values a form starts with: for a new process each parameter's default (so the user sees it);
 * for a reconfiguration the process's configuration, a parameter it does not give left empty (its
 * default applies, which the field says).
 */
export function initialValues(fields: readonly Field[], configuration?: Readonly<Record<string, string>>): Values {
  const values: Values = {};
  for (const f of fields) {
    const raw = configuration ? configuration[f.id] : f.defaultValue;
    values[f.key] = raw === undefined ? "" : display(f, raw);
  }
  return values;
}

/** The value with one checkbox's element added or taken out, in the order of the options. */
export function toggle(field: Field, value: string, element: string, on: boolean): string {
  const chosen = new Set(elements(value));
  if (on) {
    chosen.add(element);
  } else {
    chosen.delete(element);
  }
  const order = (field.options ?? []).map((o) => o.value);
  return [...chosen].sort((a, b) => rank(order, a) - rank(order, b)).join(",");
}

function rank(order: string[], v: string): number {
  const i = order.indexOf(v);
  return i < 0 ? order.length : i;
}

/** The text sent for a field's value ("" is not sent): trimmed, but for a character or string. */
function sent(field: Field, value: string): string {
  return !field.array && (field.type === "character" || field.type === "string") ? value : value.trim();
}

/** Why a field's value would be refused (by the orchestrator or, for an array, the service), or undefined. */
export function fieldProblem(field: Field, value: string): string | undefined {
  const v = sent(field, value);
  if (v === "") {
    return field.required ? "Required: this parameter has no default." : undefined;
  }
  const allowed = field.restricted ? field.options?.map((o) => o.value) : undefined;
  const check = (raw: string): string | undefined => {
    const problem = typeProblem(field.type, raw);
    if (problem) {
      return problem;
    }
    if (allowed && !allowed.some((a) => a === raw || normalize(field.type, a) === normalize(field.type, raw))) {
      return `'${raw}' is not one of ${allowed.join(", ")}`;
    }
    return undefined;
  };
  if (!field.array) {
    return check(v);
  }
  const items = elements(v);
  for (let i = 0; i < items.length; i++) {
    const problem = check(items[i]!);
    if (problem) {
      return items.length > 1 ? `Element ${i + 1}: ${problem}` : problem;
    }
  }
  return undefined;
}

/** Every field's problem, by key; empty when the form can be sent. */
export function validate(fields: readonly Field[], values: Values): Errors {
  const errors: Errors = {};
  for (const f of fields) {
    const problem = fieldProblem(f, values[f.key] ?? "");
    if (problem) {
      errors[f.key] = problem;
    }
  }
  return errors;
}

/** The configuration to send: each given value by parameter id (an array as its comma-separated elements). */
export function toConfiguration(fields: readonly Field[], values: Values): Record<string, string> {
  const configuration: Record<string, string> = {};
  for (const f of fields) {
    const v = sent(f, values[f.key] ?? "");
    if (v !== "") {
      configuration[f.id] = f.control === "checkboxes" ? elements(v).join(",") : v;
    }
  }
  return configuration;
}

/** Whether two configurations are the same (the same keys with the same values). */
export function sameConfiguration(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => b[k] === a[k]);
}

// --- the other fields of a new process

export const NAME = "name";
export const VERSION = "version";
export const PLACEMENT = "placement";
export const MEMORY = "memoryMb";
export const CPUS = "cpus";
const MAX_NAME_LENGTH = 128;

export function nameProblem(name: string): string | undefined {
  return name.trim() === "" ? "Required." : name.length > MAX_NAME_LENGTH ? `At most ${MAX_NAME_LENGTH} characters.` : undefined;
}

/** Memory in MiB (6 to 1048576) and CPUs (0.01 to 1024), both optional. */
export function resourceProblems(memoryMb: string, cpus: string): Errors {
  const errors: Errors = {};
  const m = memoryMb.trim();
  if (m !== "" && (!/^\d+$/.test(m) || Number(m) < 6 || Number(m) > 1048576)) {
    errors[MEMORY] = "A whole number of MiB from 6 to 1048576.";
  }
  const c = cpus.trim();
  if (c !== "" && (!DECIMAL.test(c) || Number(c) < 0.01 || Number(c) > 1024)) {
    errors[CPUS] = "A number of CPUs from 0.01 to 1024, like 0.5.";
  }
  return errors;
}

/** A name no process of the environment has yet: the service's id, else with -2, -3… */
export function uniqueName(base: string, taken: Iterable<string>): string {
  const names = new Set(taken);
  if (!names.has(base)) {
    return base;
  }
  for (let i = 2; ; i++) {
    if (!names.has(`${base}-${i}`)) {
      return `${base}-${i}`;
    }
  }
}

// --- where it runs

/** A choice of where: "any" (any public node), "pool:<id>" or "node:<id>" (a private node). */
export interface PlaceChoice {
  value: string;
  label: string;
  group: "any" | "pool" | "node";
}

export const ANY_PUBLIC = "any";

/**
 * Where a process of {@code userId} can be put: any public node, each pool (with how many of its
 * nodes are ready), each of that user's private nodes.
 */
export function placeChoices(nodes: readonly Node[], pools: readonly Pool[], userId: string): PlaceChoice[] {
  const choices: PlaceChoice[] = [];
  const ready = nodes.filter((n) => n.kind === "public" && n.status === "READY").length;
  choices.push({ value: ANY_PUBLIC, label: `Any public node${nodes.length > 0 ? ` (${ready} ready)` : ""}`, group: "any" });
  for (const p of [...pools].sort((a, b) => a.name.localeCompare(b.name))) {
    const members = nodes.filter((n) => n.kind === "public" && n.poolId === p.id);
    const ready = members.filter((n) => n.status === "READY").length;
    choices.push({ value: `pool:${p.id}`, label: `${p.name} (${ready} of ${members.length} ready)`, group: "pool" });
  }
  for (const n of nodes.filter((x) => x.kind === "private" && x.userId === userId)
    .sort((a, b) => a.hostname.localeCompare(b.hostname))) {
    choices.push({ value: `node:${n.id}`, label: `${n.hostname} (${n.architecture}, ${n.status.toLowerCase()})`, group: "node" });
  }
  return choices;
}

/** The body's fields for a choice: nodeId, nodePoolId, or neither for any public node. */
export function placementBody(choice: string): { nodeId?: string; nodePoolId?: string } {
  if (choice.startsWith("pool:")) {
    return { nodePoolId: choice.slice(5) };
  }
  if (choice.startsWith("node:")) {
    return { nodeId: choice.slice(5) };
  }
  return {};
}

/** A move's fields for a choice: as {@link placementBody}, but a move to any public node must say so. */
export function moveBody(choice: string): { nodeId?: string; nodePoolId?: string; anyPublicNode?: true } {
  return choice === ANY_PUBLIC ? { anyPublicNode: true } : placementBody(choice);
}

/** The choice a process's placement is. */
export function choiceOf(p: { nodeId?: string; nodePoolId?: string }): string {
  return p.nodeId ? `node:${p.nodeId}` : p.nodePoolId ? `pool:${p.nodePoolId}` : ANY_PUBLIC;
}

// --- which field a refusal concerns

/**
 * What a refusal says, by field: each reason the orchestrator gave (its problem's detail) beside
 * the field it concerns, the rest at the top. The orchestrator names what it refuses in the detail
 * (it has no extension member for it): a configuration that does not fit lists its problems,
 * "parameter 'count' is 'x', not a integer; parameter 'port' is required"; a name, version or place
 * is refused in words of its own (ConfigurationCheck, ServiceManager.resolve, ProcessManager,
 * PlacementCheck).
 */
export function problemFields(problem: Problem | undefined, message: string, fields: readonly Field[]):
    { errors: Errors; general?: string } {
  const detail = problem?.detail?.trim() || message;
  const keys = new Set(fields.map((f) => f.key));
  const errors: Errors = {};
  const general: string[] = [];
  const put = (key: string | undefined, clause: string) => {
    if (key) {
      errors[key] = errors[key] ? `${errors[key]}; ${clause}` : clause;
    } else {
      general.push(clause);
    }
  };

  const config = /^configuration does not fit \S+: ([\s\S]*)$/.exec(detail);
  if (config) {
    for (const clause of config[1]!.split("; ")) {
      const p = /^parameter '([^']*)'/.exec(clause);
      const key = p && keys.has(paramKey(p[1]!)) ? paramKey(p[1]!) : undefined;
      put(key, clause);
    }
  } else {
    const clauses = detail.split("; ");
    // PlacementCheck.problems: a list of what is wrong with memory, CPUs, mounts and ports
    const list = clauses.length > 1 && clauses.every((c) => /^(memoryMb|cpus|mounts|ports|at most)\b/.test(c));
    for (const clause of list ? clauses : [detail]) {
      put(fieldOfClause(clause), clause);
    }
  }
  if (general.length === 0) {
    return { errors };
  }
  // a reason of its own at the top reads best with the problem's title, as elsewhere
  const top = general.length === 1 && general[0] === detail ? message : general.join("; ");
  return { errors, general: top };
}

function fieldOfClause(clause: string): string | undefined {
  if (/^name must be\b/.test(clause)) {
    return NAME;
  }
  if (/^service '[^']*' has no (version|valid image|image)\b/.test(clause) || /^image \S+ cannot be run\b/.test(clause)
    || /^version \S+ of service \S+ cannot keep the connections\b/.test(clause)) {
    return VERSION;
  }
  if (/^memoryMb must be\b/.test(clause)) {
    return MEMORY;
  }
  if (/^cpus must be\b/.test(clause)) {
    return CPUS;
  }
  if (/^(node '|node pool '|there is no public node|no node of |its image is built for|not enough free memory or CPUs|give nodeId)/.test(clause)
    || /\bhas no nodes: an admin puts public nodes in it\b/.test(clause)) {
    return PLACEMENT;
  }
  return undefined;
}
