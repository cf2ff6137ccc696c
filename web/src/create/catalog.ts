import { useEffect, useState } from "react";
import { all, data, type Api } from "../api/client";
import type { components } from "../generated/openapi";
import type { Node, Pool } from "./form";

export type Service = components["schemas"]["Service"];

/** What the palette and the forms offer: the registry's services, the nodes and the node pools. */
export interface Catalog {
  services: Service[] | null;
  nodes: Node[];
  pools: Pool[];
  /** Why the services could not be read (the registry may be down: 502). */
  trouble: string | null;
}

/** Reads the catalog once (the services again on {@code reload}); a node list that cannot be read leaves the pools and "any". */
export function useCatalog(api: Api, reload = 0): Catalog {
  const [catalog, setCatalog] = useState<Catalog>({ services: null, nodes: [], pools: [], trouble: null });
  useEffect(() => {
    let current = true;
    all((offset, limit) => data(api.GET("/service", { params: { query: { offset, limit, sort: "name" } } })))
      .then((services) => current && setCatalog((c) => ({ ...c, services, trouble: null })),
        (e: unknown) => current && setCatalog((c) => ({ ...c, services: c.services ?? [], trouble: e instanceof Error ? e.message : String(e) })));
    all((offset, limit) => data(api.GET("/node", { params: { query: { offset, limit } } })))
      .then((nodes) => current && setCatalog((c) => ({ ...c, nodes })), () => {});
    all((offset, limit) => data(api.GET("/nodepool", { params: { query: { offset, limit } } })))
      .then((pools) => current && setCatalog((c) => ({ ...c, pools })), () => {});
    return () => {
      current = false;
    };
  }, [api, reload]);
  return catalog;
}

/** Whether a service has a version that can be run. */
export function runnable(s: Service): boolean {
  return s.versions.some((v) => v.valid);
}

/** The interfaces of a service, in words: "Power Measurement (v1, 2.0)". */
export function interfacesText(s: Service): string {
  return s.interfaces.map((i) => `${i.name} (${i.interfaceVersions.map((v) => v.versionName).join(", ")})`).join(", ");
}
