import { Fragment, useState } from "react";
import type { Interface } from "../api/client";
import type { components, paths } from "../generated/openapi";
import { useShell } from "../shell/context";
import type { Route } from "../shell/route";
import { short } from "./format";
import { useListRoute, useLoad } from "./hooks";
import { listPage } from "./load";
import { apiQuery, withFilter, type ListSpec } from "./query";
import { allowedValues, parameterType } from "./services";
import { Empty, Filters, ListHead, ListTable, LoadError, Pager, SortHeader, TextFilter } from "./ui";

type Query = NonNullable<paths["/service"]["get"]["parameters"]["query"]>;
type Service = components["schemas"]["Service"];

const SPEC: ListSpec = { sortable: ["id", "name", "version"], defaultSort: "id", filters: { name: {} } };

/** The registry's services: versions, interfaces with their hashes, typed parameters (a row opens to show them). */
export function ServicesPage({ route }: { route: Route }) {
  const { api } = useShell();
  const { q, query, go, empty } = useListRoute("services", route, SPEC);
  const params = apiQuery(q) as Query;
  const list = useLoad((signal) => listPage(api.GET("/service", { params: { query: params }, signal }), q.offset),
    JSON.stringify(params));
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) => setOpen((o) => {
    const next = new Set(o);
    if (!next.delete(id)) {
      next.add(id);
    }
    return next;
  });
  const items = list.value?.items ?? [];
  const sortHeader = (field: string, label: string) => (
    <SortHeader page="services" query={query} spec={SPEC} q={q} field={field}>{label}</SortHeader>
  );
  return (
    <main className="page list-page">
      <ListHead title="Services" loading={list.loading} onReload={list.reload} />
      <Filters label="Filter the services">
        <TextFilter label="Name (exact)" value={(q.filters.name ?? []).join("")}
          onChange={(v, replace) => go(withFilter(query, "name", [v]), replace)} />
      </Filters>
      <LoadError error={list.error} />
      <ListTable label="Services" loading={list.loading}>
        <thead>
          <tr>
            <th scope="col"><span className="sr-only">Details</span></th>
            {sortHeader("id", "Id")}
            {sortHeader("name", "Name")}
            {sortHeader("version", "Default version")}
            <th scope="col">Versions</th>
            <th scope="col">Interfaces</th>
            <th scope="col" className="minor">Parameters</th>
          </tr>
        </thead>
        <tbody>
          {items.map((s) => (
            <Fragment key={s.id}>
              <tr>
                <td>
                  <button type="button" aria-expanded={open.has(s.id)} aria-controls={`service-${s.id}`} onClick={() => toggle(s.id)}
                    aria-label={`${open.has(s.id) ? "Hide" : "Show"} the interfaces and parameters of ${s.id}`}>
                    {open.has(s.id) ? "▾" : "▸"}
                  </button>
                </td>
                <th scope="row"><span className="name">{s.id}</span></th>
                <td>{s.name}</td>
                <td>{s.version ?? <span className="muted">none</span>}</td>
                <td><div className="tags">{s.versions.map((v) => (
                  <span key={v.version} className={`tag${v.valid ? "" : " invalid"}`} title={v.valid ? v.digest : v.reason}>
                    {v.version}{!v.valid && " (invalid)"}
                  </span>
                ))}</div></td>
                <td>{s.interfaces.map((i) => i.name).join(", ") || <span className="muted">none</span>}</td>
                <td className="minor">{s.parameters.length || <span className="muted">none</span>}</td>
              </tr>
              {open.has(s.id) && (
                <tr className="expanded-row" id={`service-${s.id}`}>
                  <td />
                  <td colSpan={6}><ServiceDetails s={s} /></td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </ListTable>
      {list.value && items.length === 0 && (
        <Empty {...empty} total={list.value.total}>
          <p>The registry has no services. Build a service with the defpi Maven plugin and push its image to the
            registry: it shows up here, and can then be started on the canvas.</p>
        </Empty>
      )}
      {list.value && <Pager page="services" query={query} q={q} shown={items.length} total={list.value.total} onLimit={go} />}
    </main>
  );
}

function ServiceDetails({ s }: { s: Service }) {
  return (
    <div className="service-details">
      <section>
        <h3>Versions</h3>
        <table className="inner">
          <thead><tr><th scope="col">Tag</th><th scope="col">Digest</th><th scope="col">Runs</th></tr></thead>
          <tbody>{s.versions.map((v) => (
            <tr key={v.version}>
              <td>{v.version}{v.version === s.version && <span className="muted"> (default)</span>}</td>
              <td><code className="hash" title={v.digest}>{short(v.digest, 19)}</code></td>
              <td>{v.valid ? "yes" : <span className="reason">no: {v.reason}</span>}</td>
            </tr>
          ))}</tbody>
        </table>
      </section>
      <section>
        <h3>Interfaces{s.version && ` of version ${s.version}`}</h3>
        <p className="muted hint">Two interface versions connect when each receives what the other sends (the same hashes, crosswise).</p>
        {s.interfaces.length === 0 ? <p className="muted">None.</p> : s.interfaces.map((i) => <InterfaceDetails key={i.id} i={i} />)}
      </section>
      <section>
        <h3>Parameters{s.version && ` of version ${s.version}`}</h3>
        {s.parameters.length === 0 ? <p className="muted">None.</p> : (
          <table className="inner">
            <thead><tr><th scope="col">Id</th><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Default</th><th scope="col">Allowed</th></tr></thead>
            <tbody>{s.parameters.map((p) => (
              <tr key={p.id}>
                <td><code>{p.id}</code></td>
                <td>{p.name}</td>
                <td>{parameterType(p)}</td>
                <td>{p.default !== undefined ? <code>{p.default}</code> : <span className="muted">none</span>}</td>
                <td>{allowedValues(p)}</td>
              </tr>
            ))}</tbody>
          </table>
        )}
      </section>
    </div>
  );
}

function InterfaceDetails({ i }: { i: Interface }) {
  return (
    <div className="interface">
      <div><strong>{i.name}</strong> <code className="id">{i.id}</code>
        <span className="muted"> · {i.allowMultiple ? "any number of connections" : "one connection"}
          {i.autoConnect && " · connects automatically"}</span></div>
      <table className="inner">
        <thead><tr><th scope="col">Version</th><th scope="col">Sends (hash)</th><th scope="col">Receives (hash)</th></tr></thead>
        <tbody>{i.interfaceVersions.map((v) => (
          <tr key={v.versionName}>
            <td>{v.versionName}</td>
            <td><code className="hash">{v.sendsHash}</code></td>
            <td><code className="hash">{v.receivesHash}</code></td>
          </tr>
        ))}</tbody>
      </table>
    </div>
  );
}
