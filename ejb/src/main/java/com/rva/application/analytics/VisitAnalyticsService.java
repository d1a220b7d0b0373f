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
import com.rva.application.settings.SettingsService;
import com.rva.domain.Store;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
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

    @EJB
    private SettingsService settings;

    @Inject
    private PortalDayCache dayCache;

    /** Runs a large merge's parts besides the request thread ({@link CustomerDayMerge#finish(java.util.concurrent.Executor, int)}). */
    @Resource
    private ManagedExecutorService executor;

    /**
     * A merge of at least this many bytes of customer-days runs in parts (an admin's chain-wide month at 20M visits:
     * ≈ 7.5 MB; a regional manager's month ≈ 0.4 MB and a store manager's a few KB stay in the request thread).
     */
    static final long PARALLEL_MERGE_BYTES = 1 << 20;

    /**
     * How many parts a large merge runs in: {@code -Drva.portal.merge-threads}, default 2 (1 = the request thread
     * alone). On a quiet 2-core machine, once compiled, two parts merged the admin's month in 35–87 ms against 220–300
     * ms for one part (docs/portal-and-api.md, "Both cores for the admin's merge"); on a machine whose other core is
     * busy the request thread runs the pool's part itself.
     */
    private static final int MERGE_PARTS = Math.max(1, Integer.getInteger("rva.portal.merge-threads", 2));

    /** The stores the caller may see, by code. */
    public List<StoreSummary> stores() {
        CallerScope scope = scopes.current();
        // plain columns, not 1,000 managed Store entities per page view
        return em.createQuery("SELECT s.code, s.name, s.timeZone FROM Store s ORDER BY s.code", Object[].class)
                .getResultStream()
                .filter(r -> scope.permitsStore((String) r[0]))
                .map(r -> new StoreSummary((String) r[0], (String) r[1], (String) r[2]))
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
        CustomerDayMerge t = tally(query, storeIds, false, false);
        if (t != null) {
            return t.customers();
        }
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
        checkPage(first, pageSize);
        List<Long> storeIds = storeIds(query);
        CustomerPage precomputed = precomputedCustomerPage(query, storeIds, sort, ascending, first, pageSize);
        if (precomputed != null) {
            return precomputed.rows();
        }
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
     * {@link #countCustomers} and {@link #customerVisits} of one query, from one read of the precomputed days when
     * there are any and the sort allows (by customer id, visits or sightings).
     */
    public CustomerPage customerPage(VisitQuery query, CustomerVisitsSort sort, boolean ascending, int first,
            int pageSize) {
        checkPage(first, pageSize);
        CustomerPage precomputed = precomputedCustomerPage(query, storeIds(query), sort, ascending, first, pageSize);
        return precomputed != null ? precomputed
                : new CustomerPage(countCustomers(query), customerVisits(query, sort, ascending, first, pageSize));
    }

    /**
     * A page and the customer count from one read of the precomputed days, or null when there are none for the
     * query or the sort needs the visits (first/last seen).
     */
    private CustomerPage precomputedCustomerPage(VisitQuery query, List<Long> storeIds, CustomerVisitsSort sort,
            boolean ascending, int first, int pageSize) {
        if (sort != CustomerVisitsSort.CUSTOMER_ID && sort != CustomerVisitsSort.VISITS
                && sort != CustomerVisitsSort.SIGHTINGS) {
            return null;
        }
        PortalTiming tm = PortalTiming.start("customerPage");
        CustomerDayMerge t = tally(query, storeIds, false, false, true, tm);
        if (t == null) {
            return null;
        }
        List<CustomerVisits> page = precomputedPage(t, query, storeIds, sort, ascending, first, pageSize, tm);
        tm.done();
        return page == null ? null : new CustomerPage(t.customers(), page);
    }

    /**
     * Every customer with visits in the query and its visits per store code, ordered by customer id: the content
     * of the seed's aggregate JSON (see {@link AppearancesJson}).
     *
     * @throws UnknownStoreException when the query names a store that does not exist
     * @throws OutOfScopeException when it names a store outside the caller's scope
     */
    public List<CustomerAppearances> appearances(VisitQuery query) {
        return appearances(query, scopes.current());
    }

    /**
     * {@link #appearances(VisitQuery)} within an explicit scope, for work that runs without a logged-in caller
     * (the seed-export job, which only an admin can start).
     */
    public List<CustomerAppearances> appearances(VisitQuery query, CallerScope scope) {
        List<Long> storeIds = storeIds(query, scope);
        TypedQuery<Object[]> q = em.createQuery("SELECT v.customer.id, v.store.code, COUNT(v) FROM Visit v"
                + where(storeIds) + " GROUP BY v.customer.id, v.store.code ORDER BY v.customer.id, v.store.code",
                Object[].class);
        Map<Long, SortedMap<String, Long>> byCustomer = new LinkedHashMap<>();
        bind(q, query, storeIds).getResultStream()
                .forEach(r -> byCustomer.computeIfAbsent(((Number) r[0]).longValue(), k -> new TreeMap<>())
                        .put((String) r[1], ((Number) r[2]).longValue()));
        return byCustomer.entrySet().stream().map(e -> new CustomerAppearances(e.getKey(), e.getValue())).toList();
    }

    /** The largest page any list answers at once; the API refuses larger ones. */
    public static final int MAX_PAGE_SIZE = 1000;

    /**
     * One store the caller may see.
     *
     * @throws UnknownStoreException when there is no such store
     * @throws OutOfScopeException when it is not the caller's
     */
    public StoreSummary store(String code) {
        CallerScope scope = scopes.current();
        List<Store> found = em.createNamedQuery(Store.BY_CODE, Store.class).setParameter("code", code).getResultList();
        if (found.isEmpty()) {
            throw new UnknownStoreException(code);
        }
        if (!scope.permitsStore(code)) {
            throw new OutOfScopeException("Store '" + code + "' is outside the stores of " + scope.username());
        }
        Store s = found.get(0);
        return new StoreSummary(s.getCode(), s.getName(), s.getZoneId().getId());
    }

    /**
     * Per store of the query (every store the caller may see when it names none, also those without visits):
     * visits, distinct customers and sightings, by store code.
     */
    public List<StoreFigures> storeFigures(VisitQuery query) {
        List<Long> storeIds = storeIds(query);
        Map<String, Object[]> counts = new HashMap<>();
        CustomerDayMerge t = tally(query, storeIds, false, true);
        if (t != null) {
            return storeFigures(query, t);
        }
        bind(em.createQuery("SELECT v.store.code, COUNT(v), COUNT(DISTINCT v.customer.id), SUM(v.sightingCount)"
                + " FROM Visit v" + where(storeIds) + " GROUP BY v.store.code", Object[].class), query, storeIds)
                .getResultList().forEach(r -> counts.put((String) r[0], r));
        return storeFigures(query, counts);
    }

    private List<StoreFigures> storeFigures(VisitQuery query, CustomerDayMerge t) {
        CallerScope scope = scopes.current();
        List<StoreFigures> figures = new ArrayList<>();
        for (Object[] r : storeRows()) {
            String code = (String) r[1];
            boolean wanted = query.allStores() ? scope.permitsStore(code) : query.storeCodes().contains(code);
            if (wanted) {
                CustomerDayMerge.Figures f = t.stores().get(number(r[0]));
                figures.add(new StoreFigures(code, (String) r[2], (String) r[3], (String) r[4], f == null ? 0 : f.visits,
                        f == null ? 0 : f.customers, f == null ? 0 : f.sightings));
            }
        }
        return figures;
    }

    /** Every store as plain columns (id, code, name, region code, time zone), by code. */
    private List<Object[]> storeRows() {
        return em.createQuery("SELECT s.id, s.code, s.name, r.code, s.timeZone FROM Store s JOIN s.region r"
                + " ORDER BY s.code", Object[].class).getResultList();
    }

    /** Every store of the query (or of the caller's scope) with its counts: code, visits, customers, sightings. */
    private List<StoreFigures> storeFigures(VisitQuery query, Map<String, Object[]> counts) {
        CallerScope scope = scopes.current();
        List<StoreFigures> figures = new ArrayList<>();
        for (Object[] r : storeRows()) {
            String code = (String) r[1];
            boolean wanted = query.allStores() ? scope.permitsStore(code) : query.storeCodes().contains(code);
            if (!wanted) {
                continue;
            }
            Object[] c = counts.get(code);
            figures.add(new StoreFigures(code, (String) r[2], (String) r[3], (String) r[4],
                    c == null ? 0 : number(c[1]), c == null ? 0 : number(c[2]), c == null ? 0 : number(c[3])));
        }
        return figures;
    }

    /** The dashboard's headline figures; see {@link DashboardFigures} for what "returning" means. */
    public DashboardFigures dashboard(VisitQuery query) {
        List<Long> storeIds = storeIds(query);
        CustomerDayMerge t = tally(query, storeIds, false, false);
        if (t != null) {
            return dashboard(query, t);
        }

        Object[] totals = bind(em.createQuery("SELECT COUNT(v), COUNT(DISTINCT v.customer.id), SUM(v.sightingCount)"
                + " FROM Visit v" + where(storeIds), Object[].class), query, storeIds).getSingleResult();
        // returning = unique customers minus those enrolled since the range began: counted from the few customers
        // created since then (index ix_customer_created, then ix_visit_customer_store per customer), not by joining
        // every visit of the range to the whole customer table (15 s at 20M visits, docs/portal-and-api.md)
        long enrolledSince = bind(em.createQuery("SELECT COUNT(c) FROM Customer c WHERE c.createdAt >= :from AND EXISTS"
                + " (SELECT v.id FROM Visit v" + where(storeIds) + " AND v.customer = c)", Long.class), query, storeIds)
                .getSingleResult();
        long unique = number(totals[1]);
        return new DashboardFigures(number(totals[0]), unique, unique - enrolledSince, number(totals[2]));
    }

    private DashboardFigures dashboard(VisitQuery query, CustomerDayMerge t) {
        // returning = unique customers minus those of them enrolled since the range began
        long enrolledSince = 0;
        for (Object id : em.createNativeQuery("SELECT id FROM customer WHERE created_at >= ?1")
                .setParameter(1, Timestamp.valueOf(query.fromUtc())).getResultList()) {
            if (t.contains(((Number) id).longValue())) {
                enrolledSince++;
            }
        }
        long unique = t.customers();
        return new DashboardFigures(t.visits(), unique, unique - enrolledSince, t.sightings());
    }

    /**
     * What the dashboard shows, {@link #dashboard}, {@link #dailyTrend} and {@link #storeFigures} of one query,
     * from one read of the precomputed days when there are any.
     */
    public DashboardPage dashboardPage(VisitQuery query) {
        PortalTiming tm = PortalTiming.start("dashboardPage");
        List<Long> storeIds = storeIds(query);
        tm.mark("scope");
        CustomerDayMerge t = tally(query, storeIds, true, true, false, tm);
        if (t == null) {
            return new DashboardPage(dashboard(query), dailyTrend(query), storeFigures(query));
        }
        DashboardFigures figures = dashboard(query, t);
        tm.mark("returning");
        List<DayFigures> trend = dailyTrend(query, t);
        tm.mark("trend");
        List<StoreFigures> stores = storeFigures(query, t);
        tm.mark("storeFigures");
        tm.done();
        return new DashboardPage(figures, trend, stores);
    }

    /** Visits and distinct customers per UTC day of the query, every day of the range (0 where nobody came). */
    public List<DayFigures> dailyTrend(VisitQuery query) {
        List<Long> storeIds = storeIds(query);
        CustomerDayMerge t = tally(query, storeIds, true, false);
        if (t != null) {
            return dailyTrend(query, t);
        }
        StringBuilder sql = new StringBuilder("SELECT CAST(started_at AS DATE), COUNT(*), COUNT(DISTINCT customer_id)"
                + " FROM visit WHERE started_at >= ? AND started_at < ?");
        if (storeIds != null) {
            sql.append(" AND store_id IN (");
            for (int i = 0; i < storeIds.size(); i++) {
                sql.append(i == 0 ? "?" : ", ?");
            }
            sql.append(')');
        }
        sql.append(" GROUP BY CAST(started_at AS DATE)");
        Query q = em.createNativeQuery(sql.toString());
        q.setParameter(1, Timestamp.valueOf(query.fromUtc()));
        q.setParameter(2, Timestamp.valueOf(query.toUtc()));
        if (storeIds != null) {
            for (int i = 0; i < storeIds.size(); i++) {
                q.setParameter(3 + i, storeIds.get(i));
            }
        }
        Map<java.time.LocalDate, Object[]> byDay = new HashMap<>();
        for (Object row : q.getResultList()) {
            Object[] r = (Object[]) row;
            byDay.put(PortalDays.date(r[0]), r);
        }
        List<DayFigures> days = new ArrayList<>();
        java.time.LocalDate last = query.toUtc().minusNanos(1).toLocalDate();
        for (java.time.LocalDate d = query.fromUtc().toLocalDate(); !d.isAfter(last); d = d.plusDays(1)) {
            Object[] r = byDay.get(d);
            days.add(new DayFigures(d, r == null ? 0 : number(r[1]), r == null ? 0 : number(r[2])));
        }
        return days;
    }

    private static List<DayFigures> dailyTrend(VisitQuery query, CustomerDayMerge t) {
        List<DayFigures> days = new ArrayList<>();
        java.time.LocalDate last = query.toUtc().minusNanos(1).toLocalDate();
        for (java.time.LocalDate d = query.fromUtc().toLocalDate(); !d.isAfter(last); d = d.plusDays(1)) {
            CustomerDayMerge.Figures f = t.days().get(d);
            days.add(new DayFigures(d, f == null ? 0 : f.visits, f == null ? 0 : f.customers));
        }
        return days;
    }

    /**
     * A customer over all time, counting only visits to the caller's stores.
     *
     * @throws UnknownCustomerException when there is no such customer
     * @throws OutOfScopeException when it never visited a store of the caller's
     */
    public CustomerDetail customer(long customerId) {
        com.rva.domain.Customer customer = em.find(com.rva.domain.Customer.class, customerId);
        if (customer == null) {
            throw new UnknownCustomerException(customerId);
        }
        VisitQuery everything = VisitQuery.of(java.time.LocalDateTime.of(1970, 1, 1, 0, 0),
                java.time.LocalDateTime.of(9999, 1, 1, 0, 0), List.of());
        List<Long> storeIds = storeIds(everything);
        SortedMap<String, Long> byStore = new TreeMap<>();
        long visits = 0;
        long sightings = 0;
        LocalDateTime first = null;
        LocalDateTime last = null;
        for (Object[] r : bind(em.createQuery("SELECT v.store.code, COUNT(v), SUM(v.sightingCount), MIN(v.startedAt),"
                + " MAX(v.endedAt) FROM Visit v" + where(storeIds) + " AND v.customer.id = :customerId"
                + " GROUP BY v.store.code", Object[].class), everything, storeIds)
                .setParameter("customerId", customerId).getResultList()) {
            byStore.put((String) r[0], number(r[1]));
            visits += number(r[1]);
            sightings += number(r[2]);
            LocalDateTime f = dateTime(r[3]);
            LocalDateTime l = dateTime(r[4]);
            first = first == null || f.isBefore(first) ? f : first;
            last = last == null || l.isAfter(last) ? l : last;
        }
        CallerScope scope = scopes.current();
        if (visits == 0 && !scope.allStores()) {
            throw new OutOfScopeException("Customer " + customerId + " has no visits in the stores of "
                    + scope.username());
        }
        return new CustomerDetail(customerId, customer.getCreatedAt(), visits, sightings, first, last, byStore);
    }

    /** How many visits {@link #visits} can page through. */
    public long countVisits(VisitQuery query, Long customerId) {
        List<Long> storeIds = storeIds(query);
        TypedQuery<Long> q = em.createQuery("SELECT COUNT(v) FROM Visit v" + where(storeIds)
                + (customerId == null ? "" : " AND v.customer.id = :customerId"), Long.class);
        bind(q, query, storeIds);
        if (customerId != null) {
            q.setParameter("customerId", customerId);
        }
        return q.getSingleResult();
    }

    /**
     * One page of the visits of the query (of one customer, when given), newest first or oldest first.
     *
     * @throws IllegalArgumentException for a page outside 0..{@value #MAX_PAGE_SIZE}
     */
    public List<VisitRow> visits(VisitQuery query, Long customerId, boolean newestFirst, int first, int pageSize) {
        checkPage(first, pageSize);
        List<Long> storeIds = storeIds(query);
        TypedQuery<Object[]> q = em.createQuery("SELECT v.id, v.customer.id, v.store.code, v.store.timeZone,"
                + " v.startedAt, v.endedAt, v.sightingCount FROM Visit v" + where(storeIds)
                + (customerId == null ? "" : " AND v.customer.id = :customerId")
                + " ORDER BY v.startedAt" + (newestFirst ? " DESC" : " ASC") + ", v.id", Object[].class);
        bind(q, query, storeIds);
        if (customerId != null) {
            q.setParameter("customerId", customerId);
        }
        return q.setFirstResult(first).setMaxResults(pageSize).getResultList().stream()
                .map(r -> new VisitRow(number(r[0]), number(r[1]), (String) r[2], (String) r[3], dateTime(r[4]),
                        dateTime(r[5]), number(r[6])))
                .toList();
    }

    /**
     * The query's customer-days merged from the precomputed store × UTC-day sets ({@link PortalDays}), or
     * {@code null} when no day of the range is precomputed (then the callers count with SQL over the visits).
     */
    private CustomerDayMerge tally(VisitQuery query, List<Long> storeIds, boolean byDay, boolean byStore) {
        PortalTiming tm = PortalTiming.start("tally");
        CustomerDayMerge t = tally(query, storeIds, byDay, byStore, false, tm);
        tm.done();
        return t;
    }

    private CustomerDayMerge tally(VisitQuery query, List<Long> storeIds, boolean byDay, boolean byStore,
            boolean perCustomer, PortalTiming tm) {
        CustomerDayMerge t = new CustomerDayMerge(byDay, byStore, perCustomer);
        if (!PortalDays.read(em, dayCache, query.fromUtc(), query.toUtc(), storeIds, settings.visitGap(), t, tm)) {
            return null;
        }
        boolean large = MERGE_PARTS > 1 && t.encodedBytes() >= PARALLEL_MERGE_BYTES;
        t.finish(large ? executor : null, large ? MERGE_PARTS : 1);
        tm.mark("merge");
        tm.note("parts", large ? MERGE_PARTS : 1);
        tm.note("customers", t.customers());
        return t;
    }

    /**
     * A page sorted by customer id, visits or sightings from the merged customer figures (the page's rows picked in
     * one pass, {@link CustomerDayMerge#pagePositions}), then the page's per-store breakdown and first/last seen from
     * its customers' visits (index {@code ix_visit_customer_store}).
     */
    private List<CustomerVisits> precomputedPage(CustomerDayMerge t, VisitQuery query, List<Long> storeIds,
            CustomerVisitsSort sort, boolean ascending, int first, int pageSize, PortalTiming tm) {
        CustomerDayMerge.Entries e = t.entries();
        int[] positions = CustomerDayMerge.pagePositions(e, sort, ascending, first, pageSize);
        if (positions.length == 0) {
            return List.of();
        }
        List<Long> ids = new ArrayList<>(positions.length);
        Map<Long, Integer> index = new HashMap<>();
        for (int p : positions) {
            ids.add(e.key(p));
            index.put(e.key(p), p);
        }
        tm.mark("page");
        Map<Long, SortedMap<String, Long>> byStore = new HashMap<>();
        Map<Long, LocalDateTime[]> seen = new HashMap<>();
        TypedQuery<Object[]> breakdown = em.createQuery("SELECT v.customer.id, v.store.code, COUNT(v), MIN(v.startedAt),"
                + " MAX(v.endedAt) FROM Visit v" + where(storeIds) + " AND v.customer.id IN :customerIds"
                + " GROUP BY v.customer.id, v.store.code", Object[].class);
        for (Object[] r : bind(breakdown, query, storeIds).setParameter("customerIds", ids).getResultList()) {
            long id = ((Number) r[0]).longValue();
            byStore.computeIfAbsent(id, k -> new TreeMap<>()).put((String) r[1], ((Number) r[2]).longValue());
            LocalDateTime f = dateTime(r[3]);
            LocalDateTime l = dateTime(r[4]);
            LocalDateTime[] fl = seen.computeIfAbsent(id, k -> new LocalDateTime[] {f, l});
            fl[0] = f.isBefore(fl[0]) ? f : fl[0];
            fl[1] = l.isAfter(fl[1]) ? l : fl[1];
        }
        tm.mark("breakdown");
        List<CustomerVisits> page = new ArrayList<>(ids.size());
        for (long id : ids) {
            int i = index.get(id);
            LocalDateTime[] fl = seen.getOrDefault(id, new LocalDateTime[2]);
            page.add(new CustomerVisits(id, e.visits()[i], e.sightings()[i], fl[0], fl[1],
                    byStore.getOrDefault(id, new TreeMap<>())));
        }
        return page;
    }

    private static void checkPage(int first, int pageSize) {
        if (first < 0 || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("A page needs first >= 0 and a size of 1 to " + MAX_PAGE_SIZE
                    + ", not " + first + "/" + pageSize);
        }
    }

    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }


    /**
     * The ids of the query's stores within the caller's scope, or {@code null} for all stores without limit.
     *
     * @throws UnknownStoreException for a store code that does not exist
     * @throws OutOfScopeException for a store the caller may not see
     */
    private List<Long> storeIds(VisitQuery query) {
        return storeIds(query, scopes.current());
    }

    private List<Long> storeIds(VisitQuery query, CallerScope scope) {
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
