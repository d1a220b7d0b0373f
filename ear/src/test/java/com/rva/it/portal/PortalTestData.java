package com.rva.it.portal;

import java.time.LocalDateTime;
import java.util.List;

import com.rva.domain.Customer;
import com.rva.domain.Store;
import com.rva.domain.Visit;

import jakarta.persistence.EntityManager;
import jakarta.transaction.UserTransaction;

/**
 * Known customers and visits for the portal and API tests, inserted in the server. Each test uses its own
 * customer ids (below the id sequence's start of 1000, so they never collide with real customers) and its own
 * days long past, and replaces its data on every run, so runs and test classes do not disturb each other.
 */
final class PortalTestData {

    /** One visit: customer, store code, first and last sighting (UTC) and the number of sightings. */
    record VisitSpec(long customerId, String storeCode, String startUtc, String endUtc, int sightings) {
    }

    private PortalTestData() {
    }

    static VisitSpec visit(long customerId, String storeCode, String startUtc, String endUtc, int sightings) {
        return new VisitSpec(customerId, storeCode, startUtc, endUtc, sightings);
    }

    /** Deletes the customers (their visits, sightings and templates go with them) and inserts them anew. */
    static void replace(EntityManager em, UserTransaction tx, List<Long> customerIds, List<VisitSpec> visits)
            throws Exception {
        tx.begin();
        try {
            em.joinTransaction();
            for (long id : customerIds) {
                em.createNativeQuery("DELETE FROM customer WHERE id = ?1").setParameter(1, id).executeUpdate();
                em.createNativeQuery("INSERT INTO customer (id, created_at) VALUES (?1, ?2)")
                        .setParameter(1, id)
                        .setParameter(2, LocalDateTime.of(2019, 1, 1, 0, 0))
                        .executeUpdate();
            }
            for (VisitSpec spec : visits) {
                Customer customer = em.find(Customer.class, spec.customerId());
                Store store = em.createNamedQuery(Store.BY_CODE, Store.class)
                        .setParameter("code", spec.storeCode()).getSingleResult();
                LocalDateTime start = LocalDateTime.parse(spec.startUtc());
                LocalDateTime end = LocalDateTime.parse(spec.endUtc());
                Visit visit = new Visit(customer, store, start);
                visit.include(start);
                for (int i = 2; i < spec.sightings(); i++) {
                    visit.include(start);
                }
                if (spec.sightings() > 1) {
                    visit.include(end);
                }
                em.persist(visit);
            }
            tx.commit();
        } catch (Exception | AssertionError e) {
            tx.rollback();
            throw e;
        }
    }
}
