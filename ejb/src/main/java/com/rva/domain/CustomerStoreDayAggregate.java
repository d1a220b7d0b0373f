package com.rva.domain;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * How many visits (appearances) one customer made to one store on one of the store's local days;
 * built by the {@code daily-aggregates} job. Only customers with at least one visit have a row.
 */
@Entity
@Table(name = "customer_store_day_aggregate")
@IdClass(CustomerStoreDayAggregate.Key.class)
@NamedQuery(name = CustomerStoreDayAggregate.DELETE_STORE_DAY,
        query = "DELETE FROM CustomerStoreDayAggregate a WHERE a.storeId = :storeId AND a.localDay = :day")
@NamedQuery(name = CustomerStoreDayAggregate.BY_DAY,
        query = "SELECT a FROM CustomerStoreDayAggregate a WHERE a.localDay = :day ORDER BY a.storeId, a.customerId")
public class CustomerStoreDayAggregate {

    public static final String DELETE_STORE_DAY = "CustomerStoreDayAggregate.deleteStoreDay";
    public static final String BY_DAY = "CustomerStoreDayAggregate.byDay";

    @Id
    @Column(name = "customer_id")
    private Long customerId;

    @Id
    @Column(name = "store_id")
    private Long storeId;

    @Id
    @Column(name = "local_day")
    private LocalDate localDay;

    @Column(nullable = false)
    private int visits;

    protected CustomerStoreDayAggregate() {
    }

    public CustomerStoreDayAggregate(long customerId, long storeId, LocalDate localDay, int visits) {
        this.customerId = customerId;
        this.storeId = storeId;
        this.localDay = localDay;
        this.visits = visits;
    }

    public Long getCustomerId() {
        return customerId;
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

    /** Primary key: customer, store and local day. */
    public static class Key implements Serializable {

        private static final long serialVersionUID = 1L;

        private Long customerId;
        private Long storeId;
        private LocalDate localDay;

        public Key() {
        }

        public Key(Long customerId, Long storeId, LocalDate localDay) {
            this.customerId = customerId;
            this.storeId = storeId;
            this.localDay = localDay;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(customerId, k.customerId)
                    && Objects.equals(storeId, k.storeId) && Objects.equals(localDay, k.localDay);
        }

        @Override
        public int hashCode() {
            return Objects.hash(customerId, storeId, localDay);
        }
    }
}
