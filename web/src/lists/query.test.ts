import { describe, expect, it } from "vitest";
import {
  apiQuery, ariaSort, hasFilters, pagerOffsets, pagerText, parseSort, readQuery, scopeUser, toggleSort, withAllUsers,
  withFilter, withLimit, withOffset, withoutFilters, type ListSpec,
} from "./query";

const PROCESSES: ListSpec = {
  sortable: ["serviceId", "name", "version", "userId", "state", "createdAt"],
  defaultSort: "-createdAt",
  filters: { state: { values: ["STARTING", "RUNNING", "FAILED"] }, serviceId: {}, name: {} },
  descFirst: ["createdAt"],
  scoped: true,
};
const admin = { admin: true, viewUserId: "u-view" };
const user = { admin: false, viewUserId: "u-me" };
const q = (text: string) => new URLSearchParams(text);

describe("readQuery", () => {
  it("takes the defaults from an empty route: first page of 50, the default sort, no filters", () => {
    expect(readQuery(q(""), PROCESSES, user)).toEqual({
      offset: 0, limit: 50, sort: [{ field: "createdAt", desc: true }], filters: {},
    });
  });

  it("reads page, size, sort and repeated filters", () => {
    const r = readQuery(q("offset=100&limit=25&sort=state,-name&state=RUNNING&state=FAILED&serviceId=meter"), PROCESSES, user);
    expect(r).toEqual({
      offset: 100, limit: 25,
      sort: [{ field: "state", desc: false }, { field: "name", desc: true }],
      filters: { state: ["RUNNING", "FAILED"], serviceId: ["meter"] },
    });
  });

  it("drops what the API would refuse: unknown sort fields and filters, unknown states, a bad page size", () => {
    const r = readQuery(q("sort=colour,-name,name&state=BOGUS&state=RUNNING&hat=top&limit=5000&offset=-3&name="), PROCESSES, user);
    expect(r.sort).toEqual([{ field: "name", desc: true }]);
    expect(r.filters).toEqual({ state: ["RUNNING"] });
    expect(r.limit).toBe(1000);
    expect(r.offset).toBe(0);
    expect(readQuery(q("sort=colour&limit=0"), PROCESSES, user)).toMatchObject({ limit: 1, sort: [{ field: "createdAt", desc: true }] });
  });

  it("limits an admin's scoped list to the header's environment unless the route says user=all", () => {
    expect(readQuery(q(""), PROCESSES, admin).scope).toEqual({ all: false, userId: "u-view" });
    expect(readQuery(q("user=all"), PROCESSES, admin).scope).toEqual({ all: true });
    // a user only ever sees their own: the API limits them, so there is no scope to send
    expect(readQuery(q("user=all"), PROCESSES, user).scope).toBeUndefined();
    expect(readQuery(q(""), { ...PROCESSES, scoped: false }, admin).scope).toBeUndefined();
  });
});

describe("apiQuery", () => {
  it("gives the API's parameters, the scope as a userId filter", () => {
    const r = readQuery(q("sort=name&state=RUNNING&offset=50"), PROCESSES, admin);
    expect(apiQuery(r)).toEqual({ offset: 50, limit: 50, sort: "name", state: ["RUNNING"], userId: ["u-view"] });
    expect(scopeUser(r)).toBe("u-view");
    const everyone = readQuery(q("user=all"), PROCESSES, admin);
    expect(apiQuery(everyone)).toEqual({ offset: 0, limit: 50, sort: "-createdAt" });
    expect(scopeUser(everyone)).toBeUndefined();
  });

  it("sends no sort when the list has none", () => {
    expect(apiQuery(readQuery(q(""), { sortable: [], defaultSort: "", filters: {} }, user))).toEqual({ offset: 0, limit: 50 });
  });
});

describe("route changes", () => {
  it("goes back to the first page when a filter, the size or the scope changes", () => {
    const base = q("offset=100&state=RUNNING&sort=name");
    expect(withFilter(base, "state", ["FAILED", "STARTING"]).toString()).toBe("sort=name&state=FAILED&state=STARTING");
    expect(withFilter(base, "state", [""]).toString()).toBe("sort=name");
    expect(withLimit(base, 100).toString()).toBe("state=RUNNING&sort=name&limit=100");
    expect(withLimit(q("limit=100"), 50).toString()).toBe("");
    expect(withAllUsers(base, true).get("user")).toBe("all");
    expect(withAllUsers(q("user=all&offset=50"), false).toString()).toBe("");
  });

  it("keeps the rest when paging, and leaves no offset on the first page", () => {
    expect(withOffset(q("state=RUNNING"), 100).toString()).toBe("state=RUNNING&offset=100");
    expect(withOffset(q("offset=100&state=RUNNING"), 0).toString()).toBe("state=RUNNING");
  });

  it("clears the filters and the scope, not the sort or size", () => {
    expect(withoutFilters(q("state=RUNNING&name=x&user=all&sort=name&limit=25&offset=25"), PROCESSES).toString())
      .toBe("sort=name&limit=25");
  });

  it("says whether the route filters", () => {
    expect(hasFilters(readQuery(q("sort=name"), PROCESSES, admin))).toBe(false);
    expect(hasFilters(readQuery(q("name=a"), PROCESSES, admin))).toBe(true);
  });
});

describe("toggleSort", () => {
  it("sorts by a new column ascending, a time descending, and turns the same column round", () => {
    expect(toggleSort(q(""), PROCESSES, "name").get("sort")).toBe("name");
    expect(toggleSort(q("sort=name"), PROCESSES, "name").get("sort")).toBe("-name");
    expect(toggleSort(q("sort=-name"), PROCESSES, "name").get("sort")).toBe("name");
    expect(toggleSort(q("sort=name"), PROCESSES, "createdAt").has("sort")).toBe(false); // -createdAt is the default
    expect(toggleSort(q(""), PROCESSES, "createdAt").get("sort")).toBe("createdAt"); // the default, turned round
  });

  it("goes back to the first page and keeps the filters", () => {
    expect(toggleSort(q("state=RUNNING&offset=200"), PROCESSES, "state").toString()).toBe("state=RUNNING&sort=state");
  });
});

describe("ariaSort", () => {
  it("marks only the first sort key's column", () => {
    const sort = parseSort("-createdAt,name", PROCESSES);
    expect(ariaSort(sort, "createdAt")).toBe("descending");
    expect(ariaSort(sort, "name")).toBeUndefined();
    expect(ariaSort(parseSort("name", PROCESSES), "name")).toBe("ascending");
  });
});

describe("pager", () => {
  it("says which items are shown of how many", () => {
    expect(pagerText(100, 100, 1234)).toBe("101–200 of 1234");
    expect(pagerText(0, 7, 7)).toBe("1–7 of 7");
    expect(pagerText(0, 0, 0)).toBe("0 of 0");
    expect(pagerText(2000, 0, 1234)).toBe("none of 1234");
  });

  it("links to the first, previous, next and last pages where there are some", () => {
    expect(pagerOffsets(0, 100, 1234)).toEqual({ next: 100, last: 1200 });
    expect(pagerOffsets(100, 100, 1234)).toEqual({ first: 0, previous: 0, next: 200, last: 1200 });
    expect(pagerOffsets(1200, 100, 1234)).toEqual({ first: 0, previous: 1100 });
    expect(pagerOffsets(0, 50, 50)).toEqual({});
    expect(pagerOffsets(0, 50, 0)).toEqual({});
    // past the end (items went away meanwhile): previous goes to the last page there is
    expect(pagerOffsets(3000, 100, 1234)).toEqual({ first: 0, previous: 1200 });
    expect(pagerOffsets(30, 50, 100)).toEqual({ first: 0, previous: 0, next: 80, last: 50 });
  });
});
