package com.rva.web.api;

import java.time.Clock;
import java.util.List;

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
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/v1/visits?from=&to=&stores=&customer=&order=newest|oldest&first=&size=}: a page of the visits
 * that started in the range, in the caller's stores.
 */
@Path("visits")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class VisitsResource {

    static final String ORDER = "order";

    private final Clock clock = Clock.systemUTC();

    @Inject
    private VisitAnalyticsService analytics;

    @GET
    public Page<VisitJson> visits(@QueryParam(RangeParameters.FROM) String from,
            @QueryParam(RangeParameters.TO) String to, @QueryParam(RangeParameters.STORES) List<String> stores,
            @QueryParam("customer") String customer, @QueryParam(ORDER) String order,
            @QueryParam(PageParameters.FIRST) String first, @QueryParam(PageParameters.SIZE) String size) {
        VisitQuery query = RangeParameters.query(from, to, stores, clock);
        PageParameters page = PageParameters.parse(first, size);
        Long customerId = customer == null || customer.isBlank() ? null : PageParameters.id("customer", customer);
        return page(analytics, query, customerId, newestFirst(order), page);
    }

    static Page<VisitJson> page(VisitAnalyticsService analytics, VisitQuery query, Long customerId,
            boolean newestFirst, PageParameters page) {
        try {
            long total = analytics.countVisits(query, customerId);
            List<VisitJson> items = analytics.visits(query, customerId, newestFirst, page.first(), page.size())
                    .stream().map(VisitJson::of).toList();
            return new Page<>(total, page.first(), page.size(), items);
        } catch (UnknownStoreException e) {
            throw new InvalidParameterException(RangeParameters.STORES, "Parameter 'stores' names an unknown store"
                    + " code '" + e.getStoreCode() + "'");
        }
    }

    static boolean newestFirst(String order) {
        if (order == null || order.isBlank() || order.equals("newest")) {
            return true;
        }
        if (order.equals("oldest")) {
            return false;
        }
        throw new InvalidParameterException(ORDER, "Parameter 'order' must be 'newest' or 'oldest'");
    }
}
