package com.rva.web.api;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.rva.application.aggregates.DailyAggregatesParameters;
import com.rva.application.batch.BatchJobService;
import com.rva.application.batch.JobExecutionInfo;
import com.rva.application.batch.JobExecutionNotFoundException;
import com.rva.application.batch.JobParameterException;
import com.rva.application.batch.JobStateException;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.core.UriInfo;

/**
 * Batch jobs for admins: start {@code daily-aggregates}, list executions, look at, stop or restart one.
 * Starting answers 202 with the execution id at once; the job runs in the background.
 */
@Path("jobs")
@RequestScoped
@RolesAllowed("ADMIN")
@Produces(MediaType.APPLICATION_JSON)
public class JobsResource {

    @EJB
    BatchJobService jobs;

    @Context
    UriInfo uriInfo;

    /** Executions of all jobs, newest first. */
    @GET
    public List<JobExecutionInfo> executions(@QueryParam("limit") @DefaultValue("100") int limit) {
        return jobs.executions(limit);
    }

    @GET
    @Path("executions/{id}")
    public Response execution(@PathParam("id") long id) {
        try {
            return Response.ok(jobs.execution(id)).build();
        } catch (JobExecutionNotFoundException e) {
            return error(Status.NOT_FOUND, e.getMessage(), null);
        }
    }

    /** Starts daily-aggregates for {@code day} (store-local ISO date; default yesterday) and optional stores. */
    @POST
    @Path(DailyAggregatesParameters.JOB_NAME)
    public Response startDailyAggregates(@QueryParam(DailyAggregatesParameters.DAY) String day,
            @QueryParam(DailyAggregatesParameters.STORES) String stores) {
        try {
            return accepted(jobs.startDailyAggregates(day, stores));
        } catch (JobParameterException e) {
            return error(Status.BAD_REQUEST, e.getMessage(), e.getParameter());
        } catch (JobStateException e) {
            return error(Status.CONFLICT, e.getMessage(), null);
        }
    }

    /** Restarts a failed or stopped execution from its last checkpoint. */
    @POST
    @Path("executions/{id}/restart")
    public Response restart(@PathParam("id") long id) {
        try {
            return accepted(jobs.restart(id));
        } catch (JobExecutionNotFoundException e) {
            return error(Status.NOT_FOUND, e.getMessage(), null);
        } catch (JobStateException e) {
            return error(Status.CONFLICT, e.getMessage(), null);
        }
    }

    /** Asks a running execution to stop at its next checkpoint. */
    @POST
    @Path("executions/{id}/stop")
    public Response stop(@PathParam("id") long id) {
        try {
            jobs.stop(id);
            return Response.accepted(jobs.execution(id)).build();
        } catch (JobExecutionNotFoundException e) {
            return error(Status.NOT_FOUND, e.getMessage(), null);
        } catch (JobStateException e) {
            return error(Status.CONFLICT, e.getMessage(), null);
        }
    }

    private Response accepted(long executionId) {
        URI location = uriInfo.getBaseUriBuilder().path(JobsResource.class).path("executions/{id}").build(executionId);
        return Response.accepted(jobs.execution(executionId)).location(location).build();
    }

    private static Response error(Status status, String message, String parameter) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status.getStatusCode());
        body.put("error", message);
        if (parameter != null) {
            body.put("parameter", parameter);
        }
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
    }
}
