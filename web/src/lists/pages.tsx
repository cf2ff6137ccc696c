// The lists, by the names App.tsx routes to; each takes the route, whose query holds its filters, sort and page.
export { ChangesPage } from "./ChangesPage";
export { ConnectionsPage } from "./ConnectionsPage";
export { NodesPage } from "./NodesPage";
export { PoolsPage } from "./PoolsPage";
export { ProcessesPage } from "./ProcessesPage";
export { ServicesPage } from "./ServicesPage";
export { UsersPage } from "./UsersPage";
