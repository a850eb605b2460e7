package io.tidemark.cli;

import io.tidemark.coordinator.AskCommitGate;
import io.tidemark.coordinator.Collector;
import io.tidemark.coordinator.FlightEndpoint;
import io.tidemark.coordinator.Gateway;
import io.tidemark.coordinator.ShardCollector;
import io.tidemark.protocol.WorkerId;
import io.tidemark.protocol.cluster.FlightAddress;
import io.tidemark.worker.LocalCollector;
import io.tidemark.worker.TaskRunner;
import io.tidemark.worker.Worker;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.stream.Materializer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the roles of one process on a cluster member: the coordinator's client door (and, unless
 * told otherwise, a collector) on one Flight port; a collector; a worker. The embedded run starts
 * all of them in one JVM. Closing stops them in reverse order.
 */
final class Roles
        implements AutoCloseable
{
    private final List<AutoCloseable> started = new ArrayList<>();

    /** The share of a collector process's {@code --memory} its Arrow allocator (incoming streams, the final merge) may use. */
    static final double COLLECTOR_ARROW_SHARE = 0.4;

    /**
     * The coordinator's Flight endpoint: the gateway, plus the collector when {@code dataDir} is not null.
     *
     * @param arrowBytes the endpoint's Arrow allocator limit
     */
    FlightEndpoint coordinator(ClusterNode node, String host, int flightPort, Path dataDir, long arrowBytes)
            throws IOException
    {
        BufferAllocator allocator = allocator(arrowBytes);
        ShardCollector collector = dataDir == null ? null : collectorLogic(node, dataDir);
        FlightEndpoint endpoint = FlightEndpoint.start(allocator, host, flightPort, new Gateway(node.system, node.coordinator), collector);
        started.add(endpoint);
        if (collector != null) {
            spawnCollector(node, new FlightAddress(host, endpoint.port()), collector, allocator);
        }
        return endpoint;
    }

    /** The coordinator's door and the collector of an embedded run, reached by calls in this JVM. */
    record InProcess(ShardCollector collector, Gateway gateway) {}

    /**
     * The coordinator's door and a collector without a Flight endpoint (the embedded run: its worker
     * hands output over and asks for commits by calls), on the allocator all roles share; the
     * collector is known to the coordinator as {@code address}.
     */
    InProcess inProcess(ClusterNode node, FlightAddress address, Path dataDir, BufferAllocator allocator)
    {
        ShardCollector collector = collectorLogic(node, dataDir);
        spawnCollector(node, address, collector, allocator);
        return new InProcess(collector, new Gateway(node.system, node.coordinator));
    }

    FlightEndpoint collector(ClusterNode node, String host, int flightPort, Path dataDir, long arrowBytes)
            throws IOException
    {
        ShardCollector collector = collectorLogic(node, dataDir);
        BufferAllocator allocator = allocator(arrowBytes);
        FlightEndpoint endpoint = FlightEndpoint.start(allocator, host, flightPort, null, collector);
        started.add(endpoint);
        spawnCollector(node, new FlightAddress(host, endpoint.port()), collector, allocator);
        return endpoint;
    }

    /**
     * The engine of a worker gets this share of its {@code --memory}; the rest is for what a worker
     * runs besides tasks: Pekko (remoting buffers, dispatchers), two gRPC/Netty Flight endpoints and
     * their threads.
     */
    static final double WORKER_ENGINE_SHARE = 0.5;

    TaskRunner worker(ClusterNode node, String host, int flightPort, Path spillDir, long memoryBytes, int slots, Duration deadline)
            throws IOException
    {
        TaskRunner runner = new TaskRunner((long) (memoryBytes * WORKER_ENGINE_SHARE), slots, spillDir, host, flightPort, Materializer.createMaterializer(node.system),
                ClusterNode.BLOCKING, deadline);
        return register(node, runner);
    }

    /**
     * The worker of an embedded run: the engine sizes itself from the whole process budget (the
     * collector's merge runs after the last task), shares {@code allocator}, and hands shard output
     * to the collector in this JVM; it serves no fragments (it reads its own in place), so it is
     * known by {@code address} without a Flight server.
     */
    TaskRunner embeddedWorker(ClusterNode node, Path spillDir, FlightAddress address, long memoryBytes, int slots, BufferAllocator allocator,
            LocalCollector local)
            throws IOException
    {
        TaskRunner runner = TaskRunner.embedded(memoryBytes, slots, spillDir, address, Materializer.createMaterializer(node.system),
                ClusterNode.BLOCKING, Duration.ofHours(1), allocator, local);
        return register(node, runner);
    }

    private TaskRunner register(ClusterNode node, TaskRunner runner)
    {
        started.add(runner);
        WorkerId id = new WorkerId("worker@" + runner.address());
        node.system.systemActorOf(Worker.create(id, node.coordinator, runner, node.blocking), "worker", Props.empty());
        return runner;
    }

    private ShardCollector collectorLogic(ClusterNode node, Path dataDir)
    {
        // part files are encoded on the heap while they arrive, from every worker slot at once: bound their row groups
        long rowGroupBytes = Math.max(1L << 20, Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 20));
        return new ShardCollector(dataDir.toAbsolutePath(), new AskCommitGate(node.system, node.coordinator), rowGroupBytes, 1_000_000);
    }

    private void spawnCollector(ClusterNode node, FlightAddress address, ShardCollector collector, BufferAllocator allocator)
    {
        node.system.systemActorOf(Collector.create(node.coordinator, address, collector, allocator, node.blocking), "collector", Props.empty());
    }

    private BufferAllocator allocator(long arrowBytes)
    {
        RootAllocator allocator = new RootAllocator(Math.max(64L << 20, arrowBytes));
        started.add(allocator);
        return allocator;
    }

    @Override
    public void close()
    {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            }
            catch (Exception e) {
                // stopping anyway
            }
        }
    }
}
