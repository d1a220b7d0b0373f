package com.rva.application.aggregates;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * One store-local calendar day as a half-open window [fromUtc, toUtc) of UTC times, the way capture
 * times are stored (DESIGN §1: every "day" is the store's own). A 23:30 visit in a UTC+2 store is at
 * 21:30 UTC and still belongs to that store's day; an 00:30 visit is at 22:30 UTC of the previous UTC
 * date and belongs to the local day that begins then. Days that change to or from summer time are 23 or
 * 25 hours long.
 */
public record LocalDayWindow(LocalDate day, ZoneId zone, LocalDateTime fromUtc, LocalDateTime toUtc) {

    public LocalDayWindow {
        Objects.requireNonNull(day, "day");
        Objects.requireNonNull(zone, "zone");
    }

    public static LocalDayWindow of(LocalDate day, ZoneId zone) {
        // atStartOfDay(zone) also copes with zones whose midnight falls into a summer-time gap
        return new LocalDayWindow(day, zone, utc(day.atStartOfDay(zone).toInstant()),
                utc(day.plusDays(1).atStartOfDay(zone).toInstant()));
    }

    /** The store-local day a UTC capture time belongs to. */
    public static LocalDate localDayOf(LocalDateTime utc, ZoneId zone) {
        return utc.toInstant(ZoneOffset.UTC).atZone(zone).toLocalDate();
    }

    public boolean contains(LocalDateTime utc) {
        return !utc.isBefore(fromUtc) && utc.isBefore(toUtc);
    }

    public Duration length() {
        return Duration.between(fromUtc, toUtc);
    }

    /** Whether the local day is over at {@code now}; aggregates of an unfinished day are partial. */
    public boolean isCompleteAt(Instant now) {
        return !now.isBefore(toUtc.toInstant(ZoneOffset.UTC));
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    @Override
    public String toString() {
        return day + " " + zone + " = UTC [" + fromUtc + ", " + toUtc + ")";
    }
}
