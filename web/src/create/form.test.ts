import { describe, expect, it } from "vitest";
import { ApiError } from "../api/problem";
import {
  choiceOf, elements, moveBody, fieldProblem, fieldsOf, initialValues, nameProblem, normalize, paramKey, placeChoices, placementBody,
  problemFields, resourceProblems, sameConfiguration, toConfiguration, toggle, typeProblem, uniqueName, validate,
  type Node, type Parameter,
} from "./form";

// The parameters of the registry's "Power Meter" test image: every type, arrays, optional, allowed values, defaults.
const P: Parameter[] = [
  { id: "port", name: "Port", type: "integer", isArray: false, isOptional: false, values: [], labels: [], default: "8080" },
  { id: "enabled", name: "Enabled", type: "boolean", isArray: false, isOptional: false, values: [], labels: [] },
  { id: "unit", name: "Unit", type: "string", isArray: false, isOptional: false, values: ["W", "kW"], labels: ["watt", "kilowatt"], default: "W" },
  { id: "factor", name: "Factor", type: "double", isArray: false, isOptional: true, values: [], labels: [] },
  { id: "phases", name: "Phases", type: "byte", isArray: true, isOptional: false, values: [], labels: [], default: "1,2,3" },
  { id: "separator", name: "Separator", type: "character", isArray: false, isOptional: false, values: [], labels: [], default: ";" },
  { id: "maxSamples", name: "Max samples", type: "long", isArray: false, isOptional: true, values: [], labels: [], default: "100" },
  { id: "tags", name: "Tags", type: "string", isArray: true, isOptional: true, values: [], labels: [] },
  { id: "gain", name: "Gain", type: "float", isArray: false, isOptional: false, values: [], labels: [], default: "1.5" },
  { id: "offset", name: "Offset", type: "short", isArray: true, isOptional: false, values: ["0", "10", "20"], labels: [], default: "[0, 010]" },
  { id: "class", name: "Class", type: "string", isArray: false, isOptional: true, values: [], labels: [] },
];
const fields = fieldsOf(P);
const field = (id: string) => fields.find((f) => f.id === id)!;

describe("fieldsOf", () => {
  it("gives each parameter a field labelled with its name, in the service's order", () => {
    expect(fields.map((f) => [f.key, f.label, f.control])).toEqual([
      ["p:port", "Port", "text"], ["p:enabled", "Enabled", "select"], ["p:unit", "Unit", "select"],
      ["p:factor", "Factor", "text"], ["p:phases", "Phases", "text"], ["p:separator", "Separator", "text"],
      ["p:maxSamples", "Max samples", "text"], ["p:tags", "Tags", "text"], ["p:gain", "Gain", "text"],
      ["p:offset", "Offset", "checkboxes"], ["p:class", "Class", "text"],
    ]);
  });

  it("requires a value only of a parameter that is neither optional nor has a default", () => {
    expect(fields.filter((f) => f.required).map((f) => f.id)).toEqual(["enabled"]);
  });

  it("lists allowed values with their labels, and true and false for a boolean", () => {
    expect(field("unit").options).toEqual([{ value: "W", label: "watt (W)" }, { value: "kW", label: "kilowatt (kW)" }]);
    expect(field("unit").restricted).toBe(true);
    expect(field("offset").options?.map((o) => o.label)).toEqual(["0", "10", "20"]);
    expect(field("enabled").options?.map((o) => o.value)).toEqual(["true", "false"]);
    expect(field("enabled").restricted).toBe(false);
  });

  it("says what a field takes, and which keyboard a tablet shows", () => {
    expect(field("port")).toMatchObject({ inputMode: "numeric", hint: "a whole number from -2147483648 to 2147483647" });
    expect(field("gain")).toMatchObject({ inputMode: "decimal", hint: "a number, like 1.5 or 2e3" });
    expect(field("phases")).toMatchObject({ inputMode: "text", hint: "comma-separated; each a whole number from -128 to 127" });
    expect(field("separator").hint).toBe("a single character");
    expect(field("offset").hint).toBe("any of these");
  });

  it("takes the id as the label of a parameter without a name", () => {
    expect(fieldsOf([{ ...P[0]!, name: "" }])[0]?.label).toBe("port");
  });
});

describe("initialValues", () => {
  it("starts a new process's form with the defaults, as the controls show them", () => {
    expect(initialValues(fields)).toEqual({
      "p:port": "8080", "p:enabled": "", "p:unit": "W", "p:factor": "", "p:phases": "1, 2, 3", "p:separator": ";",
      "p:maxSamples": "100", "p:tags": "", "p:gain": "1.5", "p:offset": "0,10", "p:class": "",
    });
  });

  it("starts a reconfiguration with the process's configuration; a parameter it leaves out stays empty (its default applies)", () => {
    const values = initialValues(fields, { port: "9000", enabled: "TRUE", unit: "kW", offset: "20" });
    expect(values).toMatchObject({ "p:port": "9000", "p:enabled": "true", "p:unit": "kW", "p:offset": "20", "p:gain": "", "p:phases": "" });
  });

  it("keeps a value that is not allowed (any more) as it is, for the check to flag", () => {
    expect(initialValues(fields, { unit: "MW" })["p:unit"]).toBe("MW");
    expect(fieldProblem(field("unit"), "MW")).toBe("'MW' is not one of W, kW");
  });
});

describe("values of a type", () => {
  it("checks whole numbers against their type's range, as Java parses them", () => {
    expect(typeProblem("byte", "127")).toBeUndefined();
    expect(typeProblem("byte", "128")).toBe("128 is out of range: -128 to 127");
    expect(typeProblem("short", "-32768")).toBeUndefined();
    expect(typeProblem("integer", "+42")).toBeUndefined();
    expect(typeProblem("integer", "2147483648")).toMatch(/out of range/);
    expect(typeProblem("long", "9223372036854775807")).toBeUndefined();
    expect(typeProblem("long", "9223372036854775808")).toMatch(/out of range/);
    expect(typeProblem("integer", "1.0")).toBe("'1.0' is not a whole number from -2147483648 to 2147483647");
    expect(typeProblem("integer", "x")).toBeDefined();
  });

  it("checks decimals, a float's range, booleans and characters", () => {
    expect(typeProblem("double", "1.5")).toBeUndefined();
    expect(typeProblem("double", "-2e3")).toBeUndefined();
    expect(typeProblem("double", ".5")).toBeUndefined();
    expect(typeProblem("double", "1,5")).toBe("'1,5' is not a number (like 1.5 or 2e3)");
    expect(typeProblem("double", "NaN")).toBeDefined();
    expect(typeProblem("float", "1e39")).toBe("1e39 is too large for a float");
    expect(typeProblem("double", "1e39")).toBeUndefined();
    expect(typeProblem("boolean", "TRUE")).toBeUndefined();
    expect(typeProblem("boolean", "yes")).toBe("'yes' is not true or false");
    expect(typeProblem("character", " ")).toBeUndefined();
    expect(typeProblem("character", "ab")).toBe("'ab' is not a single character");
    expect(typeProblem("string", "")).toBeUndefined();
  });

  it("compares values in canonical form and reads arrays as the services do", () => {
    expect(normalize("short", " 010 ")).toBe("10");
    expect(normalize("double", "1.50")).toBe("1.5");
    expect(normalize("boolean", "False")).toBe("false");
    expect(normalize("integer", "x")).toBeUndefined();
    expect(elements("[0, 10]")).toEqual(["0", "10"]);
    expect(elements(" 1,2 ,3 ")).toEqual(["1", "2", "3"]);
    expect(elements("[\"a b\", c]")).toEqual(["a b", "c"]);
    expect(elements("[]")).toEqual([]);
    expect(elements("")).toEqual([]);
  });
});

describe("validate", () => {
  it("finds nothing wrong with the defaults but the required boolean", () => {
    expect(validate(fields, initialValues(fields))).toEqual({ "p:enabled": "Required: this parameter has no default." });
  });

  it("checks each field by its type, an array element by element, allowed values in canonical form", () => {
    const values = {
      ...initialValues(fields),
      "p:enabled": "true", "p:port": "80a", "p:phases": "1, 300", "p:separator": "ab", "p:gain": "x", "p:offset": "10,30",
    };
    expect(validate(fields, values)).toEqual({
      "p:port": "'80a' is not a whole number from -2147483648 to 2147483647",
      "p:phases": "Element 2: 300 is out of range: -128 to 127",
      "p:separator": "'ab' is not a single character",
      "p:gain": "'x' is not a number (like 1.5 or 2e3)",
      "p:offset": "Element 2: '30' is not one of 0, 10, 20",
    });
    expect(fieldProblem(field("offset"), "010")).toBeUndefined();
  });

  it("takes an empty value of a parameter with a default or an optional one: not sent", () => {
    expect(fieldProblem(field("port"), "  ")).toBeUndefined();
    expect(fieldProblem(field("factor"), "")).toBeUndefined();
  });
});

describe("toConfiguration", () => {
  it("sends what is given, trimmed (but a character or text), arrays as the user wrote them, checkboxes joined", () => {
    const values = {
      ...initialValues(fields),
      "p:enabled": "false", "p:port": " 9000 ", "p:factor": "", "p:separator": " ", "p:class": " a b ", "p:tags": " x, y ",
      "p:offset": toggle(field("offset"), "0,10", "20", true),
    };
    expect(toConfiguration(fields, values)).toEqual({
      port: "9000", enabled: "false", unit: "W", phases: "1, 2, 3", separator: " ", maxSamples: "100", tags: "x, y",
      gain: "1.5", offset: "0,10,20", class: " a b ",
    });
  });

  it("leaves out what is empty, so the default applies", () => {
    const values = Object.fromEntries(fields.map((f) => [f.key, ""]));
    expect(toConfiguration(fields, { ...values, [paramKey("enabled")]: "true" })).toEqual({ enabled: "true" });
  });

  it("keeps checkboxes in the order of the options", () => {
    const f = field("offset");
    expect(toggle(f, "20", "0", true)).toBe("0,20");
    expect(toggle(f, "0,10,20", "10", false)).toBe("0,20");
  });

  it("tells whether a configuration changed", () => {
    expect(sameConfiguration({ a: "1", b: "2" }, { b: "2", a: "1" })).toBe(true);
    expect(sameConfiguration({ a: "1" }, { a: "1", b: "2" })).toBe(false);
    expect(sameConfiguration({ a: "1" }, { a: "2" })).toBe(false);
  });
});

describe("the other fields", () => {
  it("checks the name and the resources", () => {
    expect(nameProblem(" ")).toBe("Required.");
    expect(nameProblem("x".repeat(129))).toBe("At most 128 characters.");
    expect(nameProblem("meter")).toBeUndefined();
    expect(resourceProblems("", "")).toEqual({});
    expect(resourceProblems("5", "0.001")).toEqual({
      memoryMb: "A whole number of MiB from 6 to 1048576.", cpus: "A number of CPUs from 0.01 to 1024, like 0.5.",
    });
    expect(resourceProblems("256", "0.5")).toEqual({});
  });

  it("proposes a name no process has", () => {
    expect(uniqueName("power-meter", ["power-logger"])).toBe("power-meter");
    expect(uniqueName("power-meter", ["power-meter", "power-meter-2"])).toBe("power-meter-3");
  });
});

describe("placeChoices", () => {
  const node = (id: string, kind: Node["kind"], extra: Partial<Node> = {}): Node => ({
    id, hostname: `host-${id}`, architecture: "amd64", status: "READY", kind, lastSeen: "2026-01-01T00:00:00Z", ...extra,
  });
  const nodes = [
    node("n1", "public", { poolId: "p1" }), node("n2", "public", { poolId: "p1", status: "DOWN" }),
    node("n3", "private", { userId: "u1" }), node("n4", "private", { userId: "u2" }), node("n5", "unidentified"),
  ];
  const pools = [{ id: "p2", name: "edge" }, { id: "p1", name: "local" }];

  it("offers any public node, each pool and the user's own private nodes", () => {
    expect(placeChoices(nodes, pools, "u1")).toEqual([
      { value: "any", label: "Any public node (1 ready)", group: "any" },
      { value: "pool:p2", label: "edge (0 of 0 ready)", group: "pool" },
      { value: "pool:p1", label: "local (1 of 2 ready)", group: "pool" },
      { value: "node:n3", label: "host-n3 (amd64, ready)", group: "node" },
    ]);
  });

  it("offers another user's own private nodes only", () => {
    expect(placeChoices(nodes, pools, "u2").map((c) => c.value)).toEqual(["any", "pool:p2", "pool:p1", "node:n4"]);
  });

  it("says a move to any public node in so many words (naming no place means no move)", () => {
    expect(moveBody("any")).toEqual({ anyPublicNode: true });
    expect(moveBody("pool:p1")).toEqual({ nodePoolId: "p1" });
    expect(moveBody("node:n3")).toEqual({ nodeId: "n3" });
  });

  it("turns a choice into the body's fields and back", () => {
    expect(placementBody("any")).toEqual({});
    expect(placementBody("pool:p1")).toEqual({ nodePoolId: "p1" });
    expect(placementBody("node:n3")).toEqual({ nodeId: "n3" });
    expect(choiceOf({ nodePoolId: "p1" })).toBe("pool:p1");
    expect(choiceOf({ nodeId: "n3" })).toBe("node:n3");
    expect(choiceOf({})).toBe("any");
  });
});

describe("problemFields", () => {
  const refusal = (detail: string) => {
    const problem = { type: "urn:defpi:problem:unprocessable", title: "Unprocessable request", status: 422, detail, instance: "/process" };
    return problemFields(problem, new ApiError(422, `Unprocessable request: ${detail}`, problem).message, fields);
  };

  it("puts each of a configuration's problems beside its parameter", () => {
    expect(refusal("configuration does not fit power-meter:0.1.0: parameter 'port' is 'x', not a integer; "
      + "parameter 'enabled' is required")).toEqual({ errors: {
      "p:port": "parameter 'port' is 'x', not a integer",
      "p:enabled": "parameter 'enabled' is required",
    } });
  });

  it("puts what concerns no field at the top", () => {
    expect(refusal("configuration does not fit m:1: unknown key 'zzz' (parameters: [port]); parameter 'unit' is 'MW' but must be one of [W, kW]"))
      .toEqual({ errors: { "p:unit": "parameter 'unit' is 'MW' but must be one of [W, kW]" }, general: "unknown key 'zzz' (parameters: [port])" });
    expect(refusal("host port 8080 is published already by process m (a1), which may run on the same nodes (the public nodes)"))
      .toEqual({ errors: {}, general: "Unprocessable request: host port 8080 is published already by process m (a1), which may run on the same nodes (the public nodes)" });
  });

  it("finds the name, version, place and resources in their own words", () => {
    expect(refusal("name must be 1 to 128 characters and not blank").errors).toHaveProperty("name");
    expect(refusal("service 'power-meter' has no version 'nope'; it has [0.1.0, latest]").errors).toHaveProperty("version");
    expect(refusal("image m:0.2.0 cannot be run: no labels").errors).toHaveProperty("version");
    expect(refusal("version 0.2.0 of service m cannot keep the connections of process a1: x; delete them first").errors)
      .toHaveProperty("version");
    expect(refusal("node 'nope' does not exist").errors).toEqual({ placement: "node 'nope' does not exist" });
    expect(refusal("node pool 'p9' does not exist").errors).toHaveProperty("placement");
    expect(refusal("node pool local has no nodes: an admin puts public nodes in it (PUT /node/{id})").errors).toHaveProperty("placement");
    expect(refusal("no node of the public nodes is READY: vm is DOWN").errors).toHaveProperty("placement");
    expect(refusal("not enough free memory or CPUs: it asks for 4 CPUs, and of the READY nodes of the public nodes vm has 2 CPUs free").errors)
      .toHaveProperty("placement");
    expect(refusal("memoryMb must be 6 to 1048576 (MiB), not 2; cpus must be 0.01 to 1024, not 0.0")).toEqual({ errors: {
      memoryMb: "memoryMb must be 6 to 1048576 (MiB), not 2", cpus: "cpus must be 0.01 to 1024, not 0.0",
    } });
  });

  it("keeps the message of a refusal without a problem body at the top", () => {
    expect(problemFields(undefined, "Cannot reach the orchestrator.", fields)).toEqual({ errors: {}, general: "Cannot reach the orchestrator." });
  });
});
