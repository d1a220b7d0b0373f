package com.rva.web.api;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

import com.rva.application.analytics.AppearancesJson;
import com.rva.application.analytics.UnknownStoreException;
import com.rva.application.analytics.VisitAnalyticsService;
import com.rva.application.analytics.VisitQuery;
import com.rva.web.support.InvalidParameterException;
import com.rva.web.support.RangeParameters;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

/**
 * {@code GET /api/v1/aggregates?from=&to=&stores=}: visits per customer and store in the seed's JSON layout,
 * {@code {"123": {"total_appearances": 3, "stores": {"store_001": 2, "store_002": 1}}}}. A visit counts when it
 * started in the range; {@code from}/{@code to} are UTC (see {@link RangeParameters}); default the last 7 days.
 */
@Path("aggregates")
@RequestScoped
public class AggregatesResource {

    private final Clock clock = Clock.systemUTC();

    @Inject
    private VisitAnalyticsService analytics;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response aggregates(@QueryParam(RangeParameters.FROM) String from, @QueryParam(RangeParameters.TO) String to,
            @QueryParam(RangeParameters.STORES) List<String> stores) {
        VisitQuery query = RangeParameters.query(from, to, stores, clock);
        try {
            byte[] json = AppearancesJson.write(analytics.appearances(query)).getBytes(StandardCharsets.UTF_8);
            // written as is: the layout is the seed's, not what a JSON-B provider would make of a String
            return Response.ok((StreamingOutput) out -> out.write(json), MediaType.APPLICATION_JSON_TYPE).build();
        } catch (UnknownStoreException e) {
            throw new InvalidParameterException(RangeParameters.STORES, "Parameter 'stores' names an unknown store"
                    + " code '" + e.getStoreCode() + "'");
        }
    }
}
