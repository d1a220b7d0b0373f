package com.rva.application.ingest;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import com.rva.application.settings.SettingsService;
import com.rva.domain.Customer;
import com.rva.domain.Store;
import com.rva.domain.Sighting;
import com.rva.domain.Visit;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * Visits as runs of sightings with gaps of at most the visit gap. Crops of one store arrive in order
 * (per-store message groups) but a collector's backlog can deliver a late one, so a sighting may land
 * inside, before or after a visit, or between two visits it then joins into one.
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

    Visit record(Sighting sighting, Duration gap) {
        LocalDateTime t = sighting.getCapturedAt();
        // every visit within the gap of this sighting joins it: the sighting links them all
        List<Visit> touching = em.createNamedQuery(Visit.TOUCHING, Visit.class)
                .setParameter("customer", sighting.getCustomer()).setParameter("store", sighting.getStore())
                .setParameter("from", t.minus(gap)).setParameter("to", t.plus(gap)).getResultList();
        Visit visit;
        if (touching.isEmpty()) {
            visit = new Visit(sighting.getCustomer(), sighting.getStore(), t);
            em.persist(visit);
        } else {
            visit = touching.get(0);
            for (Visit other : touching.subList(1, touching.size())) {
                for (Sighting moved : em.createNamedQuery(Sighting.BY_VISIT, Sighting.class)
                        .setParameter("visit", other).getResultList()) {
                    moved.assignTo(visit);
                }
                visit.absorb(other);
                em.remove(other);
            }
        }
        visit.include(t);
        sighting.assignTo(visit);
        em.persist(sighting);
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
