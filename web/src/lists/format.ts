/** How the lists write times, sizes and ids. */

/**
 * A timestamp as `2026-11-26 02:18:57` in the browser's time zone (or {@code timeZone}): sortable by
 * eye and the same width in every row. Anything that is not a time is given back as it is.
 */
export function formatTime(iso: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
    hourCycle: "h23",
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")} ${part("hour")}:${part("minute")}:${part("second")}`;
}

/** Memory as the Swarm reports it, in MiB: GiB from 1024 on. */
export function formatMemory(mb: number | undefined): string {
  if (mb === undefined) {
    return "";
  }
  return mb >= 1024 ? `${trim(mb / 1024)} GiB` : `${mb} MiB`;
}

export function formatCpus(cpus: number | undefined): string {
  if (cpus === undefined) {
    return "";
  }
  return `${trim(cpus)} ${cpus === 1 ? "CPU" : "CPUs"}`;
}

function trim(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/** The start of a long id or hash, for a column (the whole one goes in a tooltip). */
export function short(id: string, length = 8): string {
  return id.length > length ? `${id.slice(0, length)}…` : id;
}

/** "1 node", "3 nodes". */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** An enum value as words: `CREATE_PROCESS` → "create process", `RUNNING` → "running". */
export function words(value: string): string {
  return value.toLowerCase().replaceAll("_", " ");
}
