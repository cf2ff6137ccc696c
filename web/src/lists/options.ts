import { words } from "./format";

/** A choice of a filter's select: the values it filters on (none: everything). */
export interface Option {
  label: string;
  values: readonly string[];
}

/** The select's value for a set of filter values (order does not matter). */
export function optionKey(values: readonly string[]): string {
  return [...values].sort().join(",");
}

/** "Any" and one choice per value of an enumeration, in words. */
export function enumOptions(any: string, values: readonly string[], label: (v: string) => string = words): Option[] {
  return [{ label: any, values: [] }, ...values.map((v) => ({ label: label(v), values: [v] }))];
}

/**
 * The options with the route's current values among them: a route written by hand (or an old
 * bookmark) may filter on a combination no option offers, and the select must still show it.
 */
export function withCurrent(options: readonly Option[], current: readonly string[], label: (v: string) => string = words):
    Option[] {
  const key = optionKey(current);
  if (options.some((o) => optionKey(o.values) === key)) {
    return [...options];
  }
  return [...options, { label: current.map(label).join(" or "), values: current }];
}
