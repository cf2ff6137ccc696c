package org.defpi.examples.energydashboard.web;

import java.util.List;
import org.defpi.examples.energydashboard.history.DaySummary;
import org.defpi.examples.energydashboard.history.Limits;
import org.defpi.examples.energydashboard.history.SeriesView;

/**
 * The document of {@code /series.json} and of each {@code /events} update (the module README
 * describes its fields).
 *
 * @param clock the simulated clock in ms since the epoch, null before the first sample
 * @param full whether {@code series} holds every sample, or only those after the reader's seq
 */
public record DashboardView(
    String title,
    int historyHours,
    Limits limits,
    long epoch,
    long seq,
    boolean full,
    Long clock,
    List<SeriesView> series,
    DaySummary summary) {}
