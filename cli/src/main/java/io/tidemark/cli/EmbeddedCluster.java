package io.tidemark.cli;

import io.tidemark.coordinator.Gateway;
import io.tidemark.coordinator.JobPlanner;
import io.tidemark.coordinator.ShardCollector;
import io.tidemark.engine.MemoryBudget;
import io.tidemark.engine.partition.SpillDir;
import io.tidemark.engine.shard.ShardSink;
import io.tidemark.protocol.AttemptId;
import io.tidemark.protocol.Epoch;
import io.tidemark.protocol.JobId;
import io.tidemark.protocol.ResourceSpec;
import io.tidemark.protocol.cluster.CommitDecision;
import io.tidemark.protocol.cluster.FlightAddress;
import io.tidemark.protocol.cluster.PiecePath;
import io.tidemark.protocol.cluster.ShardStats;
import io.tidemark.worker.LocalCollector;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.types.pojo.Schema;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Every cluster role in this JVM: the coordinator, worker and collector actors and logic a
 * multi-process cluster runs, in one actor system with Pekko's local provider
 * ({@link ClusterNode#inJvm}); what {@code tidemark join} runs. The process budget is divided as the engine's {@link MemoryBudget}
 * says, with one Arrow allocator for all roles: the worker's tasks end before the collector merges.
 * Nothing here travels between processes, so no Flight server or client is started (on a cluster
 * they carry fragments, shard output, commits, submission and status): shard output goes from the
 * worker to the collector by hand, commits are asked of the collector by a call (which asks the
 * coordinator through Pekko, as on a cluster), and the job is submitted and followed through the
 * coordinator's {@link Gateway} by a call, with the same actions and bodies as over Flight. The
 * worker and the collector are named by a loopback port this run holds but never serves, so no
 * other run on this machine has the same name (or collector folder) at the same time.
 */
final class EmbeddedCluster
        implements AutoCloseable
{
    private final ClusterNode node;
    private final Roles roles = new Roles();
    private final ServerSocket name;
    private final BufferAllocator allocator;
    private final Path data;
    private final Gateway gateway;

    EmbeddedCluster(ResourceSpec resources)
            throws IOException
    {
        // held for the run, never accepting: its port names the worker, the collector and the collector's folder
        this.name = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        int port = name.getLocalPort();
        this.allocator = new RootAllocator(new MemoryBudget(resources, Runtime.getRuntime().maxMemory()).arrowLimit());
        this.data = Paths.get(resources.spillDir()).resolve("tidemark-collector-" + port);
        this.node = ClusterNode.inJvm(Duration.ofHours(6));
        try {
            FlightAddress self = new FlightAddress("127.0.0.1", port);
            Roles.InProcess coordinator = roles.inProcess(node, self, data, allocator);
            this.gateway = coordinator.gateway();
            roles.embeddedWorker(node, Paths.get(resources.spillDir()), self, resources.memoryBytes(), resources.workers(), allocator,
                    new Handover(self, coordinator.collector()));
        }
        catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The coordinator's door, by a call in this JVM. */
    ClusterClient.Door door()
    {
        return ClusterClient.local(gateway);
    }

    /** Hands the coordinator's door a plan of {@code request} made while the roles started ({@link Gateway#prepare}). */
    void prepare(Gateway.SubmitRequest request, CompletableFuture<JobPlanner.Planned> plan)
    {
        gateway.prepare(request, plan);
    }

    @Override
    public void close()
    {
        try {
            node.close();
            roles.close();   // the worker waits for running tasks to stop, then deletes its spill folder
        }
        finally {
            if (Files.isDirectory(data)) {
                SpillDir.deleteTree(data);
            }
            try (ServerSocket n = name) {
                allocator.close();
            }
            catch (IOException e) {
                // the port is released with the process anyway
            }
        }
    }

    /** The collector of this JVM as the worker sees it. */
    private record Handover(FlightAddress address, ShardCollector collector)
            implements LocalCollector
    {
        @Override
        public ShardSink open(PiecePath piece, Schema shipped, BufferAllocator allocator)
                throws IOException
        {
            return collector.hand(piece, shipped, allocator);
        }

        @Override
        public CommitDecision commit(JobId job, AttemptId attempt, Epoch epoch, ShardStats stats)
                throws IOException
        {
            return collector.commit(job, attempt, epoch, stats);
        }
    }
}
