package com.rva.application.ingest;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import com.rva.application.settings.SettingsService;
import com.rva.domain.Customer;
import com.rva.domain.Store;
import com.rva.domain.Sighting;
import com.rva.domain.Visit;

import org.eclipse.persistence.sessions.Session;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * Visits as runs of sightings with gaps of at most the visit gap. Crops of one store arrive in order
 * (per-store message groups) but a collector's backlog can deliver a late one, so a sighting may land
 * inside, before or after a visit, or between two visits it then joins into one. Recording a sighting is
 * {@link SightingRows}' rule (the one the ingest runs); rebuilding after a merge regroups with entities.
 */
@Stateless
public class DefaultVisitService implements VisitService {

    @PersistenceContext(unitName = "rva")
    EntityManager em;

    @EJB
    SettingsService settings;

    @Override
    public Visit record(Sighting sighting) {
        return record(sighting, settings.visitGap());
    }

    /**
     * The ingest's own rule and statements ({@link SightingRows}): one visit rule in the product. The sighting's row
     * is written by JDBC on the persistence context's connection, so the {@code sighting} object itself stays
     * unmanaged; the visit returned is read back.
     */
    Visit record(Sighting sighting, Duration gap) {
        em.flush(); // what the caller persisted (a new customer) before the rows that refer to it
        SightingRows.Recorded recorded;
        try {
            recorded = SightingRows.record(em.unwrap(Connection.class), new SightingRows.Row(sighting.getDuplicateId(),
                    sighting.getCustomer().getId(), sighting.getStore().getId(), sighting.getCamera().getId(),
                    sighting.getCapturedAt(), sighting.getReceivedAt(), sighting.getSimilarity(), sighting.getDetScore(),
                    sighting.getQuality()), gap,
                    () -> ((Number) em.unwrap(Session.class).getNextSequenceNumberValue(Sighting.class)).longValue());
        } catch (SQLException e) {
            throw new IllegalStateException("Sighting " + sighting.getDuplicateId() + " could not be stored: "
                    + e.getMessage(), e);
        }
        Visit visit = em.find(Visit.class, recorded.visitId());
        em.refresh(visit); // written behind the persistence context's back
        return visit;
    }

    @Override
    public void rebuild(Store store, List<Customer> customers) {
        rebuild(store, customers, settings.visitGap());
    }

    void rebuild(Store store, List<Customer> customers, Duration gap) {
        List<Visit> old = new ArrayList<>();
        for (Customer customer : customers) {
            old.addAll(em.createQuery("SELECT v FROM Visit v WHERE v.customer = :customer AND v.store = :store",
                    Visit.class).setParameter("customer", customer).setParameter("store", store).getResultList());
        }
        for (Customer customer : customers) {
            rebuildOne(customer, store, gap);
        }
        // only now: the database deletes the sightings of a deleted visit, so none may point at one any more
        em.flush();
        old.forEach(em::remove);
        em.flush();
    }

    private void rebuildOne(Customer customer, Store store, Duration gap) {
        List<Sighting> sightings = em.createQuery("SELECT s FROM Sighting s WHERE s.customer = :customer"
                + " AND s.store = :store ORDER BY s.capturedAt, s.id", Sighting.class)
                .setParameter("customer", customer).setParameter("store", store).getResultList();
        Visit current = null;
        for (Sighting s : sightings) {
            LocalDateTime t = s.getCapturedAt();
            if (current == null || Duration.between(current.getEndedAt(), t).compareTo(gap) > 0) {
                current = new Visit(customer, store, t);
                em.persist(current);
            }
            current.include(t);
            s.assignTo(current);
        }
    }
}
