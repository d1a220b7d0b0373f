package com.rva.web.api;

import java.time.Clock;
import java.util.List;

import com.rva.application.analytics.StoreFigures;
import com.rva.application.analytics.UnknownStoreException;
import com.rva.application.analytics.VisitAnalyticsService;
import com.rva.web.support.RangeParameters;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET /api/v1/stores}: the caller's stores with their figures for a range ({@code from}/{@code to} as for
 * aggregates); {@code GET /api/v1/stores/{code}}: one of them (404 unknown, 403 not the caller's).
 */
@Path("stores")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class StoresResource {

    private final Clock clock = Clock.systemUTC();

    @Inject
    private VisitAnalyticsService analytics;

    @GET
    public List<StoreFigures> stores(@QueryParam(RangeParameters.FROM) String from,
            @QueryParam(RangeParameters.TO) String to) {
        return analytics.storeFigures(RangeParameters.query(from, to, null, clock));
    }

    @GET
    @Path("{code}")
    public Response store(@PathParam("code") String code, @QueryParam(RangeParameters.FROM) String from,
            @QueryParam(RangeParameters.TO) String to) {
        var range = RangeParameters.query(from, to, null, clock);
        try {
            analytics.store(code);
        } catch (UnknownStoreException e) {
            return Response.status(Response.Status.NOT_FOUND).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ApiError(404, null, e.getMessage())).build();
        }
        List<StoreFigures> figures = analytics.storeFigures(
                com.rva.application.analytics.VisitQuery.of(range.fromUtc(), range.toUtc(), List.of(code)));
        return Response.ok(figures.get(0)).build();
    }
}
