package io.tidemark.cli;

import io.tidemark.coordinator.Gateway;
import io.tidemark.engine.JobSummary;
import io.tidemark.protocol.FailureKind;
import io.tidemark.protocol.JoinSpec;
import io.tidemark.protocol.ResourceSpec;
import io.tidemark.protocol.TidemarkException;
import io.tidemark.protocol.cluster.FlightAddress;
import io.tidemark.protocol.cluster.FlightTransport;
import io.tidemark.protocol.cluster.JobStatus;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.CallOptions;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Result;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

import java.io.PrintStream;
import java.nio.file.Paths;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * {@code tidemark join ... --cluster HOST:FLIGHT_PORT}: submits the join to a running coordinator
 * over Flight, shows the same progress as an embedded run while it polls the job's status, and
 * returns once the output is committed (or the job failed, with the error a local run would show).
 * Paths are sent absolute; the cluster's members must see the same files (a shared or local disk).
 */
final class ClusterClient
{
    /** How long the coordinator may be unreachable before the client gives up. */
    private static final long CONTACT_MILLIS = 60_000;
    /** How often the progress is polled; the coordinator answers at once when the job ends. */
    private static final int POLL_MILLIS = 250;

    private ClusterClient() {}

    static JobSummary run(FlightAddress coordinator, JoinSpec spec, String left, String right, String output, ResourceSpec resources,
            boolean quiet, PrintStream err)
    {
        return run(coordinator, spec, left, right, output, resources, false, quiet, err);
    }

    /** The body of the {@code submit} action for this join, as sent. */
    static byte[] submitBody(JoinSpec spec, String left, String right, String output, ResourceSpec resources, boolean oneWorker)
            throws java.io.IOException
    {
        return Gateway.JSON.writeValueAsBytes(Map.of("left", absolute(left), "right", absolute(right), "output", absolute(output), "spec", spec,
                "resources", resources, "oneWorker", oneWorker));
    }

    /** The request the coordinator reads from {@link #submitBody}: what a plan made ahead is filed under. */
    static Gateway.SubmitRequest submitRequest(JoinSpec spec, String left, String right, String output, ResourceSpec resources, boolean oneWorker)
            throws java.io.IOException
    {
        return Gateway.JSON.readValue(submitBody(spec, left, right, output, resources, oneWorker), Gateway.SubmitRequest.class);
    }

    /**
     * How a submitter reaches the coordinator's door ({@link Gateway}): over Flight, or, for the
     * embedded run, by a call in this JVM (the same actions and JSON bodies, no gRPC in between).
     */
    interface Door
    {
        byte[] call(String action, byte[] body)
                throws java.io.IOException;
    }

    /** The door of the coordinator in this JVM. */
    static Door local(Gateway gateway)
    {
        requireNonNull(gateway, "gateway is null");
        return (action, body) -> {
            switch (action) {
                case "submit":
                    return gateway.submit(body);
                case "status":
                    return gateway.status(body);
                default:
                    throw new IllegalArgumentException("the coordinator's door has no action " + action);
            }
        };
    }

    /**
     * @param oneWorker the cluster is this process's embedded one (one worker, of {@code resources}'
     *        memory): the coordinator may plan the job as time ranges joined in order on that worker
     */
    static JobSummary run(FlightAddress coordinator, JoinSpec spec, String left, String right, String output, ResourceSpec resources,
            boolean oneWorker, boolean quiet, PrintStream err)
    {
        try (BufferAllocator allocator = new RootAllocator(16L << 20);
                FlightClient client = FlightTransport.client(allocator, Location.forGrpcInsecure(coordinator.host(), coordinator.port()))) {
            return run((action, body) -> call(client, action, body), coordinator.toString(), spec, left, right, output, resources, oneWorker,
                    quiet, err);
        }
        catch (FlightRuntimeException e) {
            if (e.status().code() == FlightStatusCode.INVALID_ARGUMENT) {
                throw TidemarkException.fatal(e.status().description());
            }
            if (e.status().code() == FlightStatusCode.UNAVAILABLE && !e.getMessage().contains("coordinator did not answer")) {
                throw new TidemarkException(FailureKind.TRANSIENT, "cannot reach the coordinator at " + coordinator
                        + " (is `tidemark coordinator --flight-port " + coordinator.port() + "` running?): " + e.getMessage(), e);
            }
            throw new TidemarkException(FailureKind.TRANSIENT, "coordinator " + coordinator + ": " + e.getMessage(), e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TidemarkException(FailureKind.TRANSIENT, "interrupted", e);
        }
    }

    /**
     * Submits through {@code door}, polls the job's status until it ends (progress bars unless
     * {@code quiet}) and returns its summary; a job that failed throws its error.
     */
    static JobSummary run(Door door, String where, JoinSpec spec, String left, String right, String output, ResourceSpec resources,
            boolean oneWorker, boolean quiet, PrintStream err)
            throws InterruptedException
    {
        long started = System.currentTimeMillis();
        try {
            byte[] body = submitBody(spec, left, right, output, resources, oneWorker);
            String job = (String) Gateway.JSON.readValue(door.call("submit", body), Map.class).get("job");
            // the coordinator answers as soon as the job ends, or after the poll interval
            byte[] query = Gateway.JSON.writeValueAsBytes(Map.of("job", job, "waitMillis", POLL_MILLIS));
            StatusView view = new StatusView(output.endsWith(".parquet"));
            Progress progress = quiet ? null : Progress.start(view, err);
            long lastContact = System.currentTimeMillis();
            try {
                while (true) {
                    long asked = System.currentTimeMillis();
                    try {
                        view.status = Gateway.JSON.readValue(door.call("status", query), JobStatus.class);
                        lastContact = System.currentTimeMillis();
                    }
                    catch (FlightRuntimeException e) {
                        if (System.currentTimeMillis() - lastContact > CONTACT_MILLIS) {
                            throw new TidemarkException(FailureKind.TRANSIENT, "lost contact with the coordinator at " + where
                                    + " for " + CONTACT_MILLIS / 1000 + " s: " + e.getMessage(), e);
                        }
                    }
                    JobStatus s = view.status;
                    if (s != null && s.finished()) {
                        break;
                    }
                    // a failed call, or a coordinator that does not wait, answers at once: poll no faster than the interval
                    long early = POLL_MILLIS - (System.currentTimeMillis() - asked);
                    if (early > 0) {
                        Thread.sleep(early);
                    }
                }
            }
            finally {
                if (progress != null) {
                    progress.stop();
                }
            }
            JobStatus s = view.status;
            if (!s.state().equals("DONE")) {
                throw TidemarkException.fatal(s.error() == null ? "job " + job + " ended " + s.state() : s.error());
            }
            return new JobSummary(Paths.get(output), s.leftRows(), s.rightRows(), s.rowsWritten(), s.rowsMatched(), s.shardsTotal(),
                    s.spilledBytes(), System.currentTimeMillis() - started, 0);
        }
        catch (java.io.IOException e) {
            throw new TidemarkException(FailureKind.TRANSIENT, "coordinator " + where + ": " + e.getMessage(), e);
        }
    }

    private static byte[] call(FlightClient client, String action, byte[] body)
    {
        Iterator<Result> results = client.doAction(new Action(action, body), CallOptions.timeout(90, TimeUnit.SECONDS));
        if (!results.hasNext()) {
            throw CallStatus.INTERNAL.withDescription("no answer to " + action).toRuntimeException();
        }
        byte[] reply = results.next().getBody();
        while (results.hasNext()) {
            results.next();
        }
        return reply;
    }

    /** Members resolve paths on their own; a glob stays a glob. */
    private static String absolute(String path)
    {
        return Paths.get(path).toAbsolutePath().normalize().toString();
    }

    /** Progress bars fed by the last polled status. */
    private static final class StatusView
            implements Progress.View
    {
        private final boolean singleFile;
        volatile JobStatus status;

        StatusView(boolean singleFile)
        {
            this.singleFile = singleFile;
        }

        private JobStatus s()
        {
            JobStatus st = status;
            return st != null ? st : new JobStatus(new io.tidemark.protocol.JobId("pending"), "QUEUED", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                    0, 0, 0, 0, null);
        }

        public long leftRows() { return s().leftRows(); }
        public long rightRows() { return s().rightRows(); }
        public long read() { return s().rowsRead(); }
        public long sorted() { return s().rowsSorted(); }
        public long joined() { return s().rowsJoined(); }
        public long out() { return s().rowsOut(); }
        public long written() { return singleFile ? s().rowsWritten() : s().rowsOut(); }
        public boolean writing() { return s().state().equals("WRITING") || s().state().equals("DONE"); }
        public boolean singleFile() { return singleFile; }
    }
}
