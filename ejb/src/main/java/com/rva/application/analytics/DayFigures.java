package com.rva.application.analytics;

import java.io.Serializable;
import java.time.LocalDate;

/** Visits and distinct customers of one UTC day of a {@link VisitQuery} (a point of the dashboard's trend). */
public record DayFigures(LocalDate dayUtc, long visits, long uniqueCustomers) implements Serializable {
}
