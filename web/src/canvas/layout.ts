/**
 * Where new boxes go. Boxes already placed (dragged, kept for the user, dropped) stay where they are;
 * a new box never lands on one. A new box connected to a placed one goes beside it (to its right
 * first); a group of new connected boxes is laid out together, in columns by their distance from the
 * group's oldest box; a lone box takes the first free cell of a grid, row by row.
 */

export interface Point {
  x: number;
  y: number;
}

export const NODE_WIDTH = 280;
const HEADER_HEIGHT = 64;
const PORT_HEIGHT = 26;
const CELL_WIDTH = NODE_WIDTH + 100;
const CELL_HEIGHT = 160;
/** The free space kept below and right of a box. */
const GAP_X = 40;
const GAP_Y = 16;
/** The height assumed for a box whose height is not given. */
const DEFAULT_HEIGHT = 140;
const MIN_COLUMNS = 4;
/** How far from its neighbour (in cells) a connected box is looked for a place, before the grid. */
const MAX_RING = 24;

/** A process box's height with this many ports (ProcessNode draws them so). */
export function nodeHeight(ports: number): number {
  return HEADER_HEIGHT + Math.max(ports, 1) * PORT_HEIGHT;
}

export interface PlaceOptions {
  /** Which processes each is connected to (either way); new connected boxes are put together. */
  links?: ReadonlyMap<string, readonly string[]>;
  /** A spot a new box should be near (the middle of the view for "Add…"): the free one closest to it. */
  near?: ReadonlyMap<string, Point>;
}

/** The boxes placed so far, in a spatial hash of grid cells: whether a spot is free costs the few cells it covers. */
class Occupied {
  private readonly cells = new Map<string, Point[]>();
  private readonly heights = new Map<Point, number>();

  add(p: Point, height: number): void {
    this.heights.set(p, height);
    this.forCells(p, height, (key) => {
      const list = this.cells.get(key);
      if (list) {
        list.push(p);
      } else {
        this.cells.set(key, [p]);
      }
    });
  }

  /** Whether a box of this height at {@code p} would keep clear of every box placed (with the gaps). */
  free(p: Point, height: number): boolean {
    let free = true;
    this.forCells(p, height, (key) => {
      for (const q of this.cells.get(key) ?? []) {
        const hq = this.heights.get(q) ?? DEFAULT_HEIGHT;
        if (p.x < q.x + NODE_WIDTH + GAP_X && q.x < p.x + NODE_WIDTH + GAP_X
          && p.y < q.y + hq + GAP_Y && q.y < p.y + height + GAP_Y) {
          free = false;
        }
      }
    });
    return free;
  }

  private forCells(p: Point, height: number, f: (key: string) => void): void {
    const x0 = Math.floor(p.x / CELL_WIDTH);
    const x1 = Math.floor((p.x + NODE_WIDTH + GAP_X) / CELL_WIDTH);
    const y0 = Math.floor(p.y / CELL_HEIGHT);
    const y1 = Math.floor((p.y + height + GAP_Y) / CELL_HEIGHT);
    for (let x = x0; x <= x1; x++) {
      for (let y = y0; y <= y1; y++) {
        f(`${x},${y}`);
      }
    }
  }
}

/** Offsets (in cells) around a box, nearest first: right before left, below before above. */
let rings: [number, number][] | null = null;
function ringOffsets(): [number, number][] {
  if (!rings) {
    const all: [number, number][] = [];
    for (let dx = -MAX_RING; dx <= MAX_RING; dx++) {
      for (let dy = -MAX_RING; dy <= MAX_RING; dy++) {
        all.push([dx, dy]);
      }
    }
    const cost = ([dx, dy]: [number, number]) => Math.max(Math.abs(dx), Math.abs(dy)) * 100
      + Math.abs(dy) * 4 + (dx > 0 ? 0 : dx === 0 ? 1 : 6) + (dy < 0 ? 1 : 0);
    rings = all.sort((a, b) => cost(a) - cost(b));
  }
  return rings;
}

/**
 * Positions for every id in {@code ids} (oldest first): an id in {@code kept} keeps its position;
 * the others are placed as the module says, never over another box.
 */
export function place(ids: readonly string[], heights: ReadonlyMap<string, number>, kept: ReadonlyMap<string, Point>,
    options: PlaceOptions = {}): Map<string, Point> {
  const columns = Math.max(MIN_COLUMNS, Math.ceil(Math.sqrt(ids.length)));
  const height = (id: string) => heights.get(id) ?? DEFAULT_HEIGHT;
  const occupied = new Occupied();
  const positions = new Map<string, Point>();
  const put = (id: string, p: Point) => {
    positions.set(id, p);
    occupied.add(p, height(id));
  };
  for (const id of ids) {
    const p = kept.get(id);
    if (p) {
      put(id, p);
    }
  }
  if (positions.size === ids.length) {
    return positions;
  }

  // the first grid cell that may be free: cells only fill up, so the scan never goes back
  let cursor = 0;
  const firstFreeCell = (h: number): Point => {
    for (;; cursor++) {
      const p = { x: (cursor % columns) * CELL_WIDTH, y: Math.floor(cursor / columns) * CELL_HEIGHT };
      if (occupied.free(p, h)) {
        return p;
      }
    }
  };
  const around = (centre: Point, h: number, includeCentre: boolean): Point | undefined => {
    for (const [dx, dy] of ringOffsets()) {
      if (!includeCentre && dx === 0 && dy === 0) {
        continue;
      }
      const p = { x: centre.x + dx * CELL_WIDTH, y: centre.y + dy * CELL_HEIGHT };
      if (occupied.free(p, h)) {
        return p;
      }
    }
    return undefined;
  };

  const links = options.links ?? new Map<string, readonly string[]>();
  const order = new Map(ids.map((id, i) => [id, i]));
  const known = (id: string) => order.has(id);
  const neighbours = (id: string) => (links.get(id) ?? []).filter(known);

  for (const id of ids) {
    if (positions.has(id)) {
      continue;
    }
    const near = options.near?.get(id);
    if (near) {
      put(id, around(near, height(id), true) ?? firstFreeCell(height(id)));
      continue;
    }
    // the new boxes connected to this one, directly or not
    const group = component(id, neighbours, (x) => !positions.has(x) && !options.near?.has(x));
    const anchored = group.some((x) => neighbours(x).some((n) => positions.has(n)));
    if (anchored) {
      placeBeside(group, neighbours, positions, (x) => {
        const placedNeighbour = neighbours(x).find((n) => positions.has(n))!;
        put(x, around(positions.get(placedNeighbour)!, height(x), false) ?? firstFreeCell(height(x)));
      });
    } else if (group.length === 1) {
      put(id, firstFreeCell(height(id)));
    } else {
      const block = layered(group, neighbours, height, order);
      const at = freeSpotFor(block, columns, occupied, height);
      for (const [x, offset] of block) {
        put(x, { x: at.x + offset.x, y: at.y + offset.y });
      }
    }
  }
  return positions;
}

/** The ids reachable from {@code start} through links among those {@code open} says, in the order found. */
function component(start: string, neighbours: (id: string) => string[], open: (id: string) => boolean): string[] {
  const seen = new Set([start]);
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    for (const n of neighbours(queue[i]!)) {
      if (!seen.has(n) && open(n)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  return queue;
}

/** Places a group some of which touch placed boxes: from those outwards, each beside a placed neighbour. */
function placeBeside(group: string[], neighbours: (id: string) => string[], positions: ReadonlyMap<string, Point>,
    placeOne: (id: string) => void): void {
  const waiting = new Set(group);
  while (waiting.size > 0) {
    let progressed = false;
    for (const x of [...waiting]) {
      if (neighbours(x).some((n) => positions.has(n))) {
        placeOne(x);
        waiting.delete(x);
        progressed = true;
      }
    }
    if (!progressed) {
      return; // cannot happen: the group is connected and touches a placed box
    }
  }
}

/**
 * A connected group laid out on its own: a column per distance from its oldest box (a long column
 * wrapped into several), each column ordered by where its boxes' neighbours in the previous one are.
 * Offsets from the block's top left.
 */
function layered(group: string[], neighbours: (id: string) => string[], height: (id: string) => number,
    order: ReadonlyMap<string, number>): Map<string, Point> {
  const inGroup = new Set(group);
  const oldest = group.reduce((a, b) => ((order.get(b) ?? 0) < (order.get(a) ?? 0) ? b : a));
  const depth = new Map([[oldest, 0]]);
  const layers: string[][] = [[oldest]];
  for (let d = 0; d < layers.length; d++) {
    const next: string[] = [];
    for (const x of layers[d]!) {
      for (const n of neighbours(x)) {
        if (inGroup.has(n) && !depth.has(n)) {
          depth.set(n, d + 1);
          next.push(n);
        }
      }
    }
    if (next.length > 0) {
      layers.push(next);
    }
  }
  const maxRows = Math.max(3, Math.ceil(Math.sqrt(group.length)));
  const offsets = new Map<string, Point>();
  const rowOf = new Map<string, number>();
  let column = 0;
  for (const layer of layers) {
    // barycentre of the neighbours already laid out: fewer crossing lines
    const key = (x: string) => {
      const rows = neighbours(x).map((n) => rowOf.get(n)).filter((r): r is number => r !== undefined);
      return rows.length > 0 ? rows.reduce((a, b) => a + b, 0) / rows.length : Number.MAX_SAFE_INTEGER;
    };
    const sorted = [...layer].sort((a, b) => key(a) - key(b) || (order.get(a) ?? 0) - (order.get(b) ?? 0));
    for (let start = 0; start < sorted.length; start += maxRows) {
      let y = 0;
      sorted.slice(start, start + maxRows).forEach((x, row) => {
        offsets.set(x, { x: column * CELL_WIDTH, y });
        rowOf.set(x, row);
        y += Math.ceil((height(x) + GAP_Y) / CELL_HEIGHT) * CELL_HEIGHT;
      });
      column++;
    }
  }
  return offsets;
}

/** The first grid spot, row by row, where every box of the block is clear of the boxes placed. */
function freeSpotFor(block: ReadonlyMap<string, Point>, columns: number, occupied: Occupied,
    height: (id: string) => number): Point {
  const blockColumns = Math.max(...[...block.values()].map((p) => p.x / CELL_WIDTH)) + 1;
  const across = Math.max(1, columns - blockColumns + 1);
  for (let cell = 0; ; cell++) {
    const at = { x: (cell % across) * CELL_WIDTH, y: Math.floor(cell / across) * CELL_HEIGHT };
    let free = true;
    for (const [id, offset] of block) {
      if (!occupied.free({ x: at.x + offset.x, y: at.y + offset.y }, height(id))) {
        free = false;
        break;
      }
    }
    if (free) {
      return at;
    }
  }
}

/** Which processes each is connected to, for {@link place}; only what touches {@code only}, when given. */
export function linksOf(connections: Iterable<{ endpoint1: { processId: string }; endpoint2: { processId: string } }>,
    only?: ReadonlySet<string>): Map<string, string[]> {
  const links = new Map<string, string[]>();
  const add = (a: string, b: string) => {
    const list = links.get(a);
    if (list) {
      list.push(b);
    } else {
      links.set(a, [b]);
    }
  };
  for (const c of connections) {
    const a = c.endpoint1.processId;
    const b = c.endpoint2.processId;
    if (!only || only.has(a) || only.has(b)) {
      add(a, b);
      add(b, a);
    }
  }
  return links;
}
