package com.rva.domain;

import java.io.Serializable;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * What one store saw on one of its local days, as built by the {@code daily-aggregates} job.
 * {@code localDay} is the store's own calendar day (its time zone), not UTC's.
 */
@Entity
@Table(name = "store_day_aggregate")
@IdClass(StoreDayAggregate.Key.class)
@NamedQuery(name = StoreDayAggregate.DELETE_STORE_DAY,
        query = "DELETE FROM StoreDayAggregate a WHERE a.storeId = :storeId AND a.localDay = :day")
@NamedQuery(name = StoreDayAggregate.BY_DAY,
        query = "SELECT a FROM StoreDayAggregate a WHERE a.localDay = :day ORDER BY a.storeId")
public class StoreDayAggregate {

    public static final String DELETE_STORE_DAY = "StoreDayAggregate.deleteStoreDay";
    public static final String BY_DAY = "StoreDayAggregate.byDay";

    @Id
    @Column(name = "store_id")
    private Long storeId;

    @Id
    @Column(name = "local_day")
    private LocalDate localDay;

    @Column(nullable = false)
    private int visits;

    @Column(name = "unique_customers", nullable = false)
    private int uniqueCustomers;

    @Column(nullable = false)
    private int sightings;

    @Column(name = "new_customers", nullable = false)
    private int newCustomers;

    @Column(name = "returning_customers", nullable = false)
    private int returningCustomers;

    /** Seconds from first to last sighting, over the day's visits; null on a day without visits. */
    @Column(name = "avg_dwell_seconds")
    private Double avgDwellSeconds;

    @Column(name = "median_dwell_seconds")
    private Double medianDwellSeconds;

    /** Store-local hour (0-23) in which most visits started, the earliest on a tie; null without visits. */
    @Column(name = "busiest_hour")
    private Integer busiestHour;

    @Column(name = "computed_at", nullable = false)
    private LocalDateTime computedAt;

    protected StoreDayAggregate() {
    }

    public StoreDayAggregate(long storeId, LocalDate localDay, int visits, int uniqueCustomers, int sightings,
            int newCustomers, int returningCustomers, Double avgDwellSeconds, Double medianDwellSeconds,
            Integer busiestHour, LocalDateTime computedAtUtc) {
        this.storeId = storeId;
        this.localDay = localDay;
        this.visits = visits;
        this.uniqueCustomers = uniqueCustomers;
        this.sightings = sightings;
        this.newCustomers = newCustomers;
        this.returningCustomers = returningCustomers;
        this.avgDwellSeconds = avgDwellSeconds;
        this.medianDwellSeconds = medianDwellSeconds;
        this.busiestHour = busiestHour;
        this.computedAt = computedAtUtc;
    }

    public Long getStoreId() {
        return storeId;
    }

    public LocalDate getLocalDay() {
        return localDay;
    }

    public int getVisits() {
        return visits;
    }

    public int getUniqueCustomers() {
        return uniqueCustomers;
    }

    public int getSightings() {
        return sightings;
    }

    public int getNewCustomers() {
        return newCustomers;
    }

    public int getReturningCustomers() {
        return returningCustomers;
    }

    public Double getAvgDwellSeconds() {
        return avgDwellSeconds;
    }

    public Double getMedianDwellSeconds() {
        return medianDwellSeconds;
    }

    public Integer getBusiestHour() {
        return busiestHour;
    }

    public LocalDateTime getComputedAt() {
        return computedAt;
    }

    /** Primary key: store and local day. */
    public static class Key implements Serializable {

        private static final long serialVersionUID = 1L;

        private Long storeId;
        private LocalDate localDay;

        public Key() {
        }

        public Key(Long storeId, LocalDate localDay) {
            this.storeId = storeId;
            this.localDay = localDay;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(storeId, k.storeId) && Objects.equals(localDay, k.localDay);
        }

        @Override
        public int hashCode() {
            return Objects.hash(storeId, localDay);
        }
    }
}
