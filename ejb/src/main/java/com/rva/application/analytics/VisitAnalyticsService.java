package com.rva.application.analytics;

import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import com.rva.application.security.CallerScope;
import com.rva.application.security.CallerScopeService;
import com.rva.application.security.OutOfScopeException;
import com.rva.domain.Store;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import jakarta.persistence.TypedQuery;

/**
 * The read side of visits for the portal, the REST API and the batch exports: per customer, the visits that
 * started in a UTC range (in some or all stores), their sightings and first/last seen times. Everything is
 * counted by the database ({@code GROUP BY}) and paged there; no visit row is loaded into memory.
 * <p>
 * Every method answers within the caller's {@link CallerScope}: a query for all stores means all stores the caller
 * may see, naming a store outside it throws {@link OutOfScopeException}. The scope comes from the authenticated
 * principal of the call, so neither the portal nor the API can ask past it.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.SUPPORTS)
public class VisitAnalyticsService {

    private static final String WHERE = " WHERE v.startedAt >= :from AND v.startedAt < :to";
    private static final String IN_STORES = " AND v.store.id IN :storeIds";

    /** Stands for "no store": a scope without stores matches no visit (an empty IN list is not portable). */
    private static final List<Long> NO_STORE = List.of(-1L);

    @PersistenceContext(unitName = "rva")
    private EntityManager em;

    @EJB
    private CallerScopeService scopes;

    /** The stores the caller may see, by code. */
    public List<StoreSummary> stores() {
        CallerScope scope = scopes.current();
        return em.createNamedQuery(Store.ALL, Store.class).getResultStream()
                .filter(s -> scope.permitsStore(s.getCode()))
                .map(s -> new StoreSummary(s.getCode(), s.getName(), s.getZoneId().getId()))
                .toList();
    }

    /**
     * How many customers have at least one visit in the query.
     *
     * @throws UnknownStoreException when the query names a store that does not exist
     * @throws OutOfScopeException when it names a store outside the caller's scope
     */
    public long countCustomers(VisitQuery query) {
        List<Long> storeIds = storeIds(query);
        TypedQuery<Long> q = em.createQuery("SELECT COUNT(DISTINCT v.customer.id) FROM Visit v" + where(storeIds),
                Long.class);
        return bind(q, query, storeIds).getSingleResult();
    }

    /**
     * One page of customers with their visits in the query, sorted by {@code sort} (ties by customer id).
     *
     * @throws UnknownStoreException when the query names a store that does not exist
     * @throws OutOfScopeException when it names a store outside the caller's scope
     */
    public List<CustomerVisits> customerVisits(VisitQuery query, CustomerVisitsSort sort, boolean ascending,
            int first, int pageSize) {
        if (first < 0 || pageSize < 1) {
            throw new IllegalArgumentException("A page needs first >= 0 and size >= 1, not " + first + "/" + pageSize);
        }
        List<Long> storeIds = storeIds(query);
        String direction = ascending ? " ASC" : " DESC";
        String order = sort == CustomerVisitsSort.CUSTOMER_ID
                ? " ORDER BY cid" + direction
                : " ORDER BY " + sort.resultVariable() + direction + ", cid ASC";
        TypedQuery<Object[]> q = em.createQuery("SELECT v.customer.id AS cid, COUNT(v) AS nvisits,"
                + " SUM(v.sightingCount) AS nsightings, MIN(v.startedAt) AS firstseen, MAX(v.endedAt) AS lastseen"
                + " FROM Visit v" + where(storeIds) + " GROUP BY v.customer.id" + order, Object[].class);
        List<Object[]> rows = bind(q, query, storeIds).setFirstResult(first).setMaxResults(pageSize).getResultList();
        if (rows.isEmpty()) {
            return List.of();
        }

        Map<Long, SortedMap<String, Long>> byStore = new HashMap<>();
        List<Long> customerIds = rows.stream().map(r -> ((Number) r[0]).longValue()).toList();
        TypedQuery<Object[]> breakdown = em.createQuery("SELECT v.customer.id, v.store.code, COUNT(v) FROM Visit v"
                + where(storeIds) + " AND v.customer.id IN :customerIds GROUP BY v.customer.id, v.store.code",
                Object[].class);
        bind(breakdown, query, storeIds).setParameter("customerIds", customerIds).getResultList()
                .forEach(r -> byStore.computeIfAbsent(((Number) r[0]).longValue(), k -> new TreeMap<>())
                        .put((String) r[1], ((Number) r[2]).longValue()));

        List<CustomerVisits> page = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            long customerId = ((Number) r[0]).longValue();
            page.add(new CustomerVisits(customerId, ((Number) r[1]).longValue(), ((Number) r[2]).longValue(),
                    dateTime(r[3]), dateTime(r[4]), byStore.getOrDefault(customerId, new TreeMap<>())));
        }
        return page;
    }

    /**
     * Every customer with visits in the query and its visits per store code, ordered by customer id: the content
     * of the seed's aggregate JSON (see {@link AppearancesJson}).
     *
     * @throws UnknownStoreException when the query names a store that does not exist
     * @throws OutOfScopeException when it names a store outside the caller's scope
     */
    public List<CustomerAppearances> appearances(VisitQuery query) {
        List<Long> storeIds = storeIds(query);
        TypedQuery<Object[]> q = em.createQuery("SELECT v.customer.id, v.store.code, COUNT(v) FROM Visit v"
                + where(storeIds) + " GROUP BY v.customer.id, v.store.code ORDER BY v.customer.id, v.store.code",
                Object[].class);
        Map<Long, SortedMap<String, Long>> byCustomer = new LinkedHashMap<>();
        bind(q, query, storeIds).getResultStream()
                .forEach(r -> byCustomer.computeIfAbsent(((Number) r[0]).longValue(), k -> new TreeMap<>())
                        .put((String) r[1], ((Number) r[2]).longValue()));
        return byCustomer.entrySet().stream().map(e -> new CustomerAppearances(e.getKey(), e.getValue())).toList();
    }

    /**
     * The ids of the query's stores within the caller's scope, or {@code null} for all stores without limit.
     *
     * @throws UnknownStoreException for a store code that does not exist
     * @throws OutOfScopeException for a store the caller may not see
     */
    private List<Long> storeIds(VisitQuery query) {
        CallerScope scope = scopes.current();
        if (query.allStores()) {
            if (scope.allStores()) {
                return null;
            }
            return scope.isEmpty() ? NO_STORE : List.copyOf(scope.stores().values());
        }
        Map<String, Long> found = new HashMap<>();
        em.createQuery("SELECT s.code, s.id FROM Store s WHERE s.code IN :codes", Object[].class)
                .setParameter("codes", List.copyOf(query.storeCodes()))
                .getResultList()
                .forEach(r -> found.put((String) r[0], ((Number) r[1]).longValue()));
        for (String code : query.storeCodes()) {
            if (!found.containsKey(code)) {
                throw new UnknownStoreException(code);
            }
        }
        for (String code : query.storeCodes()) {
            if (!scope.permitsStore(code)) {
                throw new OutOfScopeException("Store '" + code + "' is outside the stores of " + scope.username());
            }
        }
        return List.copyOf(found.values());
    }

    private static String where(List<Long> storeIds) {
        return storeIds == null ? WHERE : WHERE + IN_STORES;
    }

    private static <Q extends Query> Q bind(Q q, VisitQuery query, List<Long> storeIds) {
        q.setParameter("from", query.fromUtc());
        q.setParameter("to", query.toUtc());
        if (storeIds != null) {
            q.setParameter("storeIds", storeIds);
        }
        return q;
    }

    /** Aggregates over a LocalDateTime attribute come back as the attribute type or as a JDBC timestamp. */
    private static LocalDateTime dateTime(Object value) {
        if (value instanceof LocalDateTime t) {
            return t;
        }
        if (value instanceof Timestamp t) {
            return t.toLocalDateTime();
        }
        throw new IllegalStateException("Unexpected date-time value " + value
                + (value == null ? "" : " of " + value.getClass()));
    }
}
