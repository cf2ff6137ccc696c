/** Where new boxes go: the first free cells of a grid, row by row; boxes already placed stay where they are. */

export interface Point {
  x: number;
  y: number;
}

export const NODE_WIDTH = 280;
const HEADER_HEIGHT = 64;
const PORT_HEIGHT = 26;
const CELL_WIDTH = NODE_WIDTH + 100;
const CELL_HEIGHT = 160;
const MIN_COLUMNS = 4;

/** A process box's height with this many ports (ProcessNode draws them so). */
export function nodeHeight(ports: number): number {
  return HEADER_HEIGHT + Math.max(ports, 1) * PORT_HEIGHT;
}

/**
 * Positions for every id in {@code ids}, in that order: an id in {@code kept} keeps its position; the
 * others take the first free cells of a grid of at least {@link MIN_COLUMNS} columns (more as the
 * canvas grows, so it stays roughly square), a tall box taking as many rows as it covers.
 */
export function place(ids: string[], heights: ReadonlyMap<string, number>, kept: ReadonlyMap<string, Point>):
    Map<string, Point> {
  const columns = Math.max(MIN_COLUMNS, Math.ceil(Math.sqrt(ids.length)));
  const taken = new Set<string>();
  const rowsOf = (id: string) => Math.max(1, Math.ceil((heights.get(id) ?? CELL_HEIGHT) / CELL_HEIGHT));
  const take = (column: number, row: number, rows: number) => {
    for (let r = row; r < row + rows; r++) {
      taken.add(`${column},${r}`);
    }
  };
  const positions = new Map<string, Point>();
  for (const id of ids) {
    const p = kept.get(id);
    if (p) {
      positions.set(id, p);
      take(Math.floor(p.x / CELL_WIDTH), Math.floor(p.y / CELL_HEIGHT), rowsOf(id));
    }
  }
  let cell = 0;
  for (const id of ids) {
    if (positions.has(id)) {
      continue;
    }
    const rows = rowsOf(id);
    for (;; cell++) {
      const column = cell % columns;
      const row = Math.floor(cell / columns);
      let free = true;
      for (let r = row; r < row + rows && free; r++) {
        free = !taken.has(`${column},${r}`);
      }
      if (free) {
        take(column, row, rows);
        positions.set(id, { x: column * CELL_WIDTH, y: row * CELL_HEIGHT });
        break;
      }
    }
  }
  return positions;
}
