package com.rva.web.api;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.rva.application.aggregates.DailyAggregatesParameters;
import com.rva.application.batch.BatchJobService;
import com.rva.application.batch.JobExecutionInfo;
import com.rva.application.batch.IdentityConsolidationOperations;
import com.rva.application.batch.JobExecutionNotFoundException;
import com.rva.application.batch.JobParameterException;
import com.rva.application.batch.JobScheduler;
import com.rva.application.batch.JobStateException;
import com.rva.application.batch.ReportNotFoundException;
import com.rva.application.batch.ScheduledJob;
import com.rva.application.reports.RegionReportParameters;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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

    @EJB
    JobScheduler scheduler;

    @EJB
    com.rva.application.audit.AuditService audit;

    @Context
    UriInfo uriInfo;

    /** Executions of all jobs (or of {@code job}), newest first: the execution history. */
    @GET
    public Response executions(@QueryParam("limit") @DefaultValue("100") int limit, @QueryParam("job") String job) {
        try {
            return Response.ok(job == null || job.isBlank() ? jobs.executions(limit) : jobs.executions(job, limit)).build();
        } catch (JobParameterException e) {
            return error(Status.BAD_REQUEST, e.getMessage(), e.getParameter());
        }
    }

    /** When each job runs (schedules are data: job_schedule), and the next run. */
    @GET
    @Path("schedules")
    public List<ScheduledJob> schedules() {
        return scheduler.schedules();
    }

    /** Sets a job's server-local time of day and whether it runs. */
    @PUT
    @Path("schedules/{job}")
    public Response schedule(@PathParam("job") String job, @QueryParam("hour") Integer hour,
            @QueryParam("minute") Integer minute, @QueryParam("enabled") @DefaultValue("true") boolean enabled) {
        if (hour == null || minute == null) {
            return error(Status.BAD_REQUEST, "hour and minute are required", hour == null ? "hour" : "minute");
        }
        try {
            ScheduledJob updated = scheduler.update(job, hour, minute, enabled);
            audit.record(com.rva.application.audit.AuditService.JOB_CONTROL, "API: schedule of " + job + " set to "
                    + updated.schedule() + (enabled ? "" : ", disabled"));
            return Response.ok(updated).build();
        } catch (JobParameterException e) {
            return error(Status.BAD_REQUEST, e.getMessage(), e.getParameter());
        }
    }

    /**
     * Starts seed-export: the aggregate JSON of {@code GET /api/v1/aggregates?from=&to=&stores=} written to a file
     * by the job (its exit status names the file). {@code from} and {@code to} are required.
     */
    @POST
    @Path("seed-export")
    public Response startSeedExport(@QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("stores") String stores) {
        try {
            return accepted(jobs.startSeedExport(from, to, stores));
        } catch (JobParameterException e) {
            return error(Status.BAD_REQUEST, e.getMessage(), e.getParameter());
        }
    }

    /** Starts retention-purge: erasure requests, then what is past its retention; one audit row per run. */
    @POST
    @Path("retention-purge")
    public Response startRetentionPurge() {
        try {
            return accepted(jobs.start("retention-purge", new java.util.Properties()));
        } catch (JobParameterException e) {
            return error(Status.BAD_REQUEST, e.getMessage(), e.getParameter());
        }
    }

    /**
     * Starts identity-consolidation now: merges customers that are one person (their visits and the aggregates of
     * the days concerned are recounted). 409 while a run is going.
     */
    @POST
    @Path(IdentityConsolidationOperations.JOB_NAME)
    public Response startIdentityConsolidation() {
        try {
            return accepted(jobs.startIdentityConsolidation());
        } catch (JobStateException e) {
            return error(Status.CONFLICT, e.getMessage(), null);
        }
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

    /**
     * Starts daily-aggregates for {@code day} (store-local ISO date; default yesterday), or the days
     * {@code from} .. {@code day}, and optional stores.
     */
    @POST
    @Path(DailyAggregatesParameters.JOB_NAME)
    public Response startDailyAggregates(@QueryParam(DailyAggregatesParameters.DAY) String day,
            @QueryParam(DailyAggregatesParameters.FROM) String from,
            @QueryParam(DailyAggregatesParameters.STORES) String stores, @QueryParam("storesPerChunk") String perChunk,
            @QueryParam(DailyAggregatesParameters.PARTITIONS) String partitions) {
        try {
            return accepted(jobs.startDailyAggregates(day, from, stores, perChunk, partitions));
        } catch (JobParameterException e) {
            return error(Status.BAD_REQUEST, e.getMessage(), e.getParameter());
        } catch (JobStateException e) {
            return error(Status.CONFLICT, e.getMessage(), null);
        }
    }

    /**
     * Starts region-report for {@code day} (store-local ISO date; default yesterday), optional region codes
     * and an optional k (default: the setting reports.k-anonymity). Each (region, day) is mailed once.
     */
    @POST
    @Path(RegionReportParameters.JOB_NAME)
    public Response startRegionReport(@QueryParam(RegionReportParameters.DAY) String day,
            @QueryParam(RegionReportParameters.REGIONS) String regions, @QueryParam(RegionReportParameters.K) String k) {
        try {
            return accepted(jobs.startRegionReport(day, regions, k));
        } catch (JobParameterException e) {
            return error(Status.BAD_REQUEST, e.getMessage(), e.getParameter());
        } catch (JobStateException e) {
            return error(Status.CONFLICT, e.getMessage(), null);
        }
    }

    /** The send log of the region reports of a day: SENT, FAILED, NO_RECIPIENTS, SENDING (left by a crash). */
    @GET
    @Path(RegionReportParameters.JOB_NAME + "/log")
    public Response reportLog(@QueryParam(RegionReportParameters.DAY) String day) {
        try {
            return Response.ok(jobs.reportLog(day)).build();
        } catch (JobParameterException e) {
            return error(Status.BAD_REQUEST, e.getMessage(), e.getParameter());
        }
    }

    /**
     * Lets the next region-report run send again a report a crash left mid-send (SENDING), once an admin has
     * checked the recipients' mailboxes; audited.
     */
    @POST
    @Path(RegionReportParameters.JOB_NAME + "/release")
    public Response releaseReport(@QueryParam("region") String region, @QueryParam(RegionReportParameters.DAY) String day) {
        try {
            jobs.releaseReport(region, day);
            audit.record(com.rva.application.audit.AuditService.JOB_CONTROL, "API: region report of " + region + " for "
                    + day + " released for sending again");
            return Response.noContent().build();
        } catch (JobParameterException e) {
            return error(Status.BAD_REQUEST, e.getMessage(), e.getParameter());
        } catch (ReportNotFoundException e) {
            return error(Status.NOT_FOUND, e.getMessage(), null);
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
            audit.record(com.rva.application.audit.AuditService.JOB_CONTROL, "API: stop requested for execution " + id);
            return Response.accepted(jobs.execution(id)).build();
        } catch (JobExecutionNotFoundException e) {
            return error(Status.NOT_FOUND, e.getMessage(), null);
        } catch (JobStateException e) {
            return error(Status.CONFLICT, e.getMessage(), null);
        }
    }

    private Response accepted(long executionId) {
        JobExecutionInfo started = jobs.execution(executionId);
        audit.record(com.rva.application.audit.AuditService.JOB_CONTROL, "API: execution " + executionId + " of "
                + started.jobName() + " " + started.parameters());
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
