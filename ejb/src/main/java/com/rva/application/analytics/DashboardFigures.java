package com.rva.application.analytics;

import java.io.Serializable;

/**
 * The headline figures of a {@link VisitQuery}. A customer is <em>returning</em> when it was enrolled before the
 * range started (it had been seen in the chain before); the returning rate is their share of the unique customers.
 */
public record DashboardFigures(long visits, long uniqueCustomers, long returningCustomers, long sightings)
        implements Serializable {

    /** Returning customers / unique customers, 0..1 (0 when there were none). */
    public double returningRate() {
        return uniqueCustomers == 0 ? 0 : (double) returningCustomers / uniqueCustomers;
    }
}
