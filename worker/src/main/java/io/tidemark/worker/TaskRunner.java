package io.tidemark.worker;

import io.tidemark.engine.MemoryBudget;
import io.tidemark.engine.partition.SpillDir;
import io.tidemark.protocol.EndedJobs;
import io.tidemark.protocol.FailureKind;
import io.tidemark.protocol.JobId;
import io.tidemark.protocol.ResourceSpec;
import io.tidemark.protocol.TidemarkException;
import io.tidemark.protocol.cluster.CommitDecision;
import io.tidemark.protocol.cluster.FlightAddress;
import io.tidemark.protocol.cluster.FlightTransport;
import io.tidemark.protocol.cluster.JobOrder;
import io.tidemark.protocol.cluster.MapTask;
import io.tidemark.protocol.cluster.ReduceTask;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.pekko.stream.Materializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * Everything a worker process runs tasks with: its memory budget (one capped Arrow allocator for the
 * tasks and both Flight endpoints), its spill root (served by its {@link FragmentServer}, except in an
 * embedded run), the per-job contexts, and the stream materializer. Its methods block and run on the
 * blocking executor.
 */
public final class TaskRunner
        implements AutoCloseable
{
    private final long memoryBytes;
    private final int slots;
    private final Path spillRoot;
    private final BufferAllocator allocator;
    private final FragmentServer server;
    private final FlightAddress address;
    private final Materializer materializer;
    private final String dispatcher;
    private final Duration deadline;
    private final Map<JobId, JobContext> jobs = new ConcurrentHashMap<>();
    private final boolean ownsAllocator;
    /** Jobs over on this worker (the latest ones): a late task of one is refused instead of spilling again. */
    private final EndedJobs dropped = new EndedJobs();
    private boolean closed;
    /** Tasks running here, of every job: a job that is over leaves {@link #jobs} while its tasks still stop. */
    private int running;
    /** One Flight client per collector, shared by the tasks (gRPC reconnects a broken channel by itself). */
    private final Map<FlightAddress, FlightClient> collectors = new ConcurrentHashMap<>();
    private final LocalCollector local;

    /**
     * A worker process's runner: one Arrow allocator capped at the Arrow share of {@code memoryBytes}.
     *
     * @param memoryBytes what the engine of this worker may use (its Arrow share caps the one allocator)
     * @param deadline how long one fetch, one piece or a stalled upload may take before the attempt fails
     */
    public TaskRunner(long memoryBytes, int slots, Path spillRoot, String host, int flightPort, Materializer materializer,
            String dispatcher, Duration deadline)
            throws IOException
    {
        this(memoryBytes, slots, spillRoot, host, flightPort, materializer, dispatcher, deadline, null, null, null);
    }

    /**
     * The runner of an embedded run: it shares the process's allocator with the collector in the same
     * JVM (the collector merges after the last task), and hands output to that collector directly.
     * It is the only worker, reads its own fragments in place and serves none, so it starts no Flight
     * server: {@code address} names it (an address of this process that no other serves).
     */
    public static TaskRunner embedded(long memoryBytes, int slots, Path spillRoot, FlightAddress address, Materializer materializer,
            String dispatcher, Duration deadline, BufferAllocator shared, LocalCollector local)
            throws IOException
    {
        return new TaskRunner(memoryBytes, slots, spillRoot, null, 0, materializer, dispatcher, deadline,
                requireNonNull(shared, "shared is null"), requireNonNull(local, "local is null"), requireNonNull(address, "address is null"));
    }

    /** @param named the embedded worker's address (no Flight server), or null to serve fragments on {@code host:flightPort} */
    private TaskRunner(long memoryBytes, int slots, Path spillRoot, String host, int flightPort, Materializer materializer,
            String dispatcher, Duration deadline, BufferAllocator shared, LocalCollector local, FlightAddress named)
            throws IOException
    {
        this.memoryBytes = memoryBytes;
        this.slots = slots;
        this.local = local;
        Files.createDirectories(spillRoot);
        this.spillRoot = Files.createTempDirectory(spillRoot, "tidemark-worker-").toAbsolutePath();
        this.ownsAllocator = shared == null;
        if (shared == null) {
            long arrowLimit = new MemoryBudget(new ResourceSpec(memoryBytes, slots, 0, this.spillRoot.toString(), 64L << 20, 1_000_000),
                    Runtime.getRuntime().maxMemory()).arrowLimit();
            this.allocator = new RootAllocator(arrowLimit);
        }
        else {
            this.allocator = shared;
        }
        this.server = named == null ? FragmentServer.start(allocator, host, flightPort, this.spillRoot) : null;
        this.address = named == null ? new FlightAddress(host, server.location().getUri().getPort()) : named;
        this.materializer = requireNonNull(materializer, "materializer is null");
        this.dispatcher = requireNonNull(dispatcher, "dispatcher is null");
        this.deadline = requireNonNull(deadline, "deadline is null");
    }

    public FlightAddress address()
    {
        return address;
    }

    public int slots()
    {
        return slots;
    }

    MapRunner.Result map(MapTask task)
    {
        JobContext job = begin(task.job());
        try {
            return MapRunner.run(task, job, allocator, spillRoot, address);
        }
        finally {
            end(job);
        }
    }

    CommitDecision reduce(ReduceTask task)
    {
        JobContext job = begin(task.job());
        try {
            // output handed to the collector in this JVM needs no client
            FlightClient client = local != null && local.address().equals(task.collector()) ? null : collectors.computeIfAbsent(task.collector(),
                    at -> FlightTransport.client(allocator, Location.forGrpcInsecure(at.host(), at.port())));
            return ReduceRunner.run(task, job, allocator, spillRoot, address, client, local, materializer, dispatcher, deadline);
        }
        finally {
            end(job);
        }
    }

    /**
     * The job is over: its folder is deleted once its running tasks have stopped (they stop at their
     * next row group or piece), and no task of it starts here again.
     */
    synchronized void dropJob(JobId id)
    {
        dropped.add(id);
        JobContext job = jobs.remove(id);
        if (job != null) {
            job.drop();
            if (job.running == 0) {
                job.close();
            }
        }
    }

    private synchronized JobContext begin(JobOrder order)
    {
        if (closed || dropped.contains(order.id())) {
            throw new TidemarkException(FailureKind.TRANSIENT, closed ? "worker " + address + " is stopping" : order.id() + " is over on this worker");
        }
        JobContext job = jobs.computeIfAbsent(order.id(), id -> new JobContext(order, memoryBytes, slots, spillRoot));
        job.running++;
        running++;
        return job;
    }

    private synchronized void end(JobContext job)
    {
        job.running--;
        running--;
        if (job.running == 0 && !jobs.containsKey(job.order.id())) {
            job.close();   // dropped while it ran
        }
        notifyAll();
    }

    /**
     * Stops taking tasks, lets running ones stop at their next row group or piece (at most {@code
     * millis}), those of jobs already over too: they hold Arrow memory of the allocator the worker's
     * owner closes next (a failed job's other map task leaked its spill buffers that way).
     */
    private synchronized void stopTasks(long millis)
            throws InterruptedException
    {
        closed = true;
        jobs.values().forEach(JobContext::drop);
        long deadline = System.currentTimeMillis() + millis;
        while (running > 0 && System.currentTimeMillis() < deadline) {
            wait(Math.max(1, deadline - System.currentTimeMillis()));
        }
    }

    @Override
    public void close()
            throws InterruptedException
    {
        stopTasks(60_000);
        jobs.values().forEach(JobContext::close);
        jobs.clear();
        for (FlightClient client : collectors.values()) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        SpillDir.deleteTree(spillRoot);
        if (ownsAllocator) {
            allocator.close();
        }
    }
}
