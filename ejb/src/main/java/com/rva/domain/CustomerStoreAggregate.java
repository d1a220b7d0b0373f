package com.rva.domain;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/**
 * The seed's aggregate: how many visits (appearances) one customer made to one store over all days the
 * {@code daily-aggregates} job has aggregated, with the first and last such store-local day. The job
 * re-sums a store's rows from {@link CustomerStoreDayAggregate} whenever it rewrites one of its days.
 */
@Entity
@Table(name = "customer_store_aggregate")
@IdClass(CustomerStoreAggregate.Key.class)
public class CustomerStoreAggregate {

    @Id
    @Column(name = "customer_id")
    private Long customerId;

    @Id
    @Column(name = "store_id")
    private Long storeId;

    @Column(nullable = false)
    private int appearances;

    @Column(name = "first_day", nullable = false)
    private LocalDate firstDay;

    @Column(name = "last_day", nullable = false)
    private LocalDate lastDay;

    protected CustomerStoreAggregate() {
    }

    public Long getCustomerId() {
        return customerId;
    }

    public Long getStoreId() {
        return storeId;
    }

    public int getAppearances() {
        return appearances;
    }

    public LocalDate getFirstDay() {
        return firstDay;
    }

    public LocalDate getLastDay() {
        return lastDay;
    }

    /** Primary key: customer and store. */
    public static class Key implements Serializable {

        private static final long serialVersionUID = 1L;

        private Long customerId;
        private Long storeId;

        public Key() {
        }

        public Key(Long customerId, Long storeId) {
            this.customerId = customerId;
            this.storeId = storeId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(customerId, k.customerId) && Objects.equals(storeId, k.storeId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(customerId, storeId);
        }
    }
}
