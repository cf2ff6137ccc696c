import type { components } from "../generated/openapi";

export type Parameter = components["schemas"]["Parameter"];

/** A parameter's type as written in a list: `integer`, `string[]` for an array, and whether it may be left out. */
export function parameterType(p: Pick<Parameter, "type" | "isArray" | "isOptional">): string {
  return `${p.type}${p.isArray ? "[]" : ""}${p.isOptional ? ", optional" : ""}`;
}

/** The values a parameter takes: "any", or each value with its label when the label says more. */
export function allowedValues(p: Pick<Parameter, "values" | "labels">): string {
  if (p.values.length === 0) {
    return "any";
  }
  return p.values.map((v, i) => {
    const label = p.labels[i];
    return label && label !== v ? `${v} (${label})` : v;
  }).join(", ");
}
