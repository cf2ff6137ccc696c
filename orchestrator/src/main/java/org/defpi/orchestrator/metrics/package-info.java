/**
 * The orchestrator's own metrics, on one Micrometer registry that {@code Wiring} makes and
 * {@code GET /metrics} scrapes in the Prometheus text format (ARCHITECTURE.md "Observability").
 *
 * <ul>
 *   <li>{@link HttpMeters}: API latency by method, route template and status (the API records it);
 *   <li>{@link StoreGauges}: processes, connections and pending changes by state, and the age of
 *       the oldest pending change per state, read at scrape time from {@link StoreCounts} (grouped
 *       counts, never rows);
 *   <li>{@link CallMeter}: a connector's calls to Docker Swarm or the registry, timed per operation
 *       with their outcome, and errors counted by exception;
 *   <li>{@link JvmMeters}: memory, garbage collection, threads, class loading, CPU and uptime.
 * </ul>
 *
 * <p>The API, managers and connectors may use this package; it uses only the managers' value
 * types, never the API.
 */
package org.defpi.orchestrator.metrics;
