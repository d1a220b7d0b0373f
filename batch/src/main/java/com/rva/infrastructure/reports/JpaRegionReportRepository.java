package com.rva.infrastructure.reports;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.rva.application.batch.JobParameterException;
import com.rva.application.reports.RegionReport.StoreFigures;
import com.rva.domain.StoreDayAggregate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/** What the region report reads: regions, their stores' aggregates of a day, the recipients. */
@ApplicationScoped
public class JpaRegionReportRepository {

    @PersistenceContext(unitName = "rva")
    EntityManager em;

    /** A region as the report names it. */
    public record RegionRef(long id, String code, String name) {
    }

    /** Regions by code (empty: all), in code order; an unknown code is refused. */
    public List<RegionRef> regions(List<String> codes) {
        List<RegionRef> all = em.createQuery("SELECT r.id, r.code, r.name FROM Region r ORDER BY r.code", Object[].class)
                .getResultList().stream().map(r -> new RegionRef((Long) r[0], (String) r[1], (String) r[2])).toList();
        if (codes.isEmpty()) {
            return all;
        }
        List<String> known = all.stream().map(RegionRef::code).toList();
        List<String> unknown = codes.stream().filter(c -> !known.contains(c)).toList();
        if (!unknown.isEmpty()) {
            throw new JobParameterException("regions", "unknown region(s) " + unknown);
        }
        return all.stream().filter(r -> codes.contains(r.code())).toList();
    }

    /** Every store of the region with its aggregates of the day (all null where the day was not aggregated). */
    public List<StoreFigures> storeFigures(long regionId, LocalDate day) {
        List<Object[]> stores = em.createQuery("SELECT s.id, s.code, s.name FROM Store s WHERE s.region.id = :region"
                + " ORDER BY s.code", Object[].class).setParameter("region", regionId).getResultList();
        if (stores.isEmpty()) {
            return List.of();
        }
        Map<Long, StoreDayAggregate> byStore = new HashMap<>();
        em.createQuery("SELECT a FROM StoreDayAggregate a WHERE a.localDay = :day AND a.storeId IN :stores",
                StoreDayAggregate.class).setParameter("day", day)
                .setParameter("stores", stores.stream().map(r -> (Long) r[0]).toList())
                .getResultList().forEach(a -> byStore.put(a.getStoreId(), a));
        List<StoreFigures> figures = new ArrayList<>();
        for (Object[] s : stores) {
            StoreDayAggregate a = byStore.get((Long) s[0]);
            figures.add(a == null ? new StoreFigures((String) s[1], (String) s[2], null, null, null, null, null, null, null)
                    : new StoreFigures((String) s[1], (String) s[2], a.getVisits(), a.getUniqueCustomers(),
                            a.getNewCustomers(), a.getReturningCustomers(), a.getAvgDwellSeconds(),
                            a.getMedianDwellSeconds(), a.getBusiestHour()));
        }
        return figures;
    }

    /** Distinct customers of the day over the given stores (a customer in two stores counts once). */
    public int distinctCustomers(LocalDate day, List<String> storeCodes) {
        return Math.toIntExact(em.createQuery("SELECT COUNT(DISTINCT a.customerId) FROM CustomerStoreDayAggregate a,"
                + " Store s WHERE s.id = a.storeId AND s.code IN :codes AND a.localDay = :day", Long.class)
                .setParameter("codes", storeCodes).setParameter("day", day).getSingleResult());
    }

    /** The active recipients of a region's report, in address order. */
    public List<String> recipients(long regionId) {
        @SuppressWarnings("unchecked")
        List<Object> rows = em.createNativeQuery("SELECT email FROM region_report_recipient WHERE region_id = ?1"
                + " AND active = ?2 ORDER BY email").setParameter(1, regionId).setParameter(2, true).getResultList();
        return rows.stream().map(String::valueOf).toList();
    }
}
