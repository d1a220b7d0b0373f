package com.rva.web.api;

import java.time.Clock;
import java.util.List;

import com.rva.application.analytics.CustomerDetail;
import com.rva.application.analytics.CustomerPage;
import com.rva.application.analytics.CustomerVisits;
import com.rva.application.analytics.CustomerVisitsSort;
import com.rva.application.analytics.UnknownStoreException;
import com.rva.application.analytics.VisitAnalyticsService;
import com.rva.application.analytics.VisitQuery;
import com.rva.web.support.InvalidParameterException;
import com.rva.web.support.PageParameters;
import com.rva.web.support.RangeParameters;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * Customers in the caller's stores: {@code GET /api/v1/customers} (a page of visits per customer in a range, the
 * portal's customers table), {@code GET /api/v1/customers/{id}} (first/last seen, visits per store) and
 * {@code GET /api/v1/customers/{id}/visits} (its visit timeline).
 */
@Path("customers")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class CustomersResource {

    static final String SORT = "sort";
    static final String ORDER = "order";

    private final Clock clock = Clock.systemUTC();

    @Inject
    private VisitAnalyticsService analytics;

    @GET
    public Page<CustomerVisits> customers(@QueryParam(RangeParameters.FROM) String from,
            @QueryParam(RangeParameters.TO) String to, @QueryParam(RangeParameters.STORES) List<String> stores,
            @QueryParam(SORT) String sort, @QueryParam(ORDER) String order,
            @QueryParam(PageParameters.FIRST) String first, @QueryParam(PageParameters.SIZE) String size) {
        VisitQuery query = RangeParameters.query(from, to, stores, clock);
        PageParameters page = PageParameters.parse(first, size);
        CustomerVisitsSort by;
        try {
            by = sort == null || sort.isBlank() ? CustomerVisitsSort.VISITS : CustomerVisitsSort.byField(sort);
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException(SORT, "Parameter 'sort' must be one of customerId, visits, sightings,"
                    + " firstSeen, lastSeen");
        }
        boolean ascending;
        if (order == null || order.isBlank() || order.equals("desc")) {
            ascending = false;
        } else if (order.equals("asc")) {
            ascending = true;
        } else {
            throw new InvalidParameterException(ORDER, "Parameter 'order' must be 'asc' or 'desc'");
        }
        try {
            CustomerPage result = analytics.customerPage(query, by, ascending, page.first(), page.size());
            return new Page<>(result.total(), page.first(), page.size(), result.rows());
        } catch (UnknownStoreException e) {
            throw new InvalidParameterException(RangeParameters.STORES, "Parameter 'stores' names an unknown store"
                    + " code '" + e.getStoreCode() + "'");
        }
    }

    @GET
    @Path("{id}")
    public CustomerDetail customer(@PathParam("id") String id) {
        return analytics.customer(PageParameters.id("id", id));
    }

    @GET
    @Path("{id}/visits")
    public Page<VisitJson> visits(@PathParam("id") String id, @QueryParam(RangeParameters.FROM) String from,
            @QueryParam(RangeParameters.TO) String to, @QueryParam(VisitsResource.ORDER) String order,
            @QueryParam(PageParameters.FIRST) String first, @QueryParam(PageParameters.SIZE) String size) {
        long customerId = PageParameters.id("id", id);
        analytics.customer(customerId); // 404 / 403 before anything else
        return VisitsResource.page(analytics, RangeParameters.query(from, to, null, clock), customerId,
                VisitsResource.newestFirst(order), PageParameters.parse(first, size));
    }
}
