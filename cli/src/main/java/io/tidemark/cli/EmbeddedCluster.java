package io.tidemark.cli;

import io.tidemark.protocol.cluster.FlightAddress;
import io.tidemark.protocol.cluster.WorkerProtocol;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Every cluster role in this JVM: a one-member Pekko cluster (coordinator singleton, worker,
 * collector) with Artery and Flight on loopback, the same code a multi-process cluster runs. Used by
 * {@code tidemark join --cluster local}. The process budget is split: the worker's engine gets most
 * of it, the collector a fixed share.
 */
final class EmbeddedCluster
        implements AutoCloseable
{
    static final double COLLECTOR_SHARE = 0.15;

    private final ClusterNode node;
    private final Roles roles = new Roles();
    private final FlightAddress door;

    EmbeddedCluster(long memoryBytes, int slots, Path spillDir)
            throws IOException
    {
        int port = RoleCommand.freePort("127.0.0.1");
        this.node = ClusterNode.start("127.0.0.1", port, "127.0.0.1:" + port,
                List.of(WorkerProtocol.COORDINATOR_ROLE, "worker", "collector"), false, Duration.ofHours(6));
        try {
            Path data = spillDir.resolve("tidemark-collector-" + port);
            int flight = roles.coordinator(node, "127.0.0.1", 0, data, (long) (memoryBytes * COLLECTOR_SHARE)).port();
            this.door = new FlightAddress("127.0.0.1", flight);
            roles.worker(node, "127.0.0.1", 0, spillDir, (long) (memoryBytes * (1 - COLLECTOR_SHARE)), slots, Duration.ofHours(1));
        }
        catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    FlightAddress door()
    {
        return door;
    }

    @Override
    public void close()
    {
        node.close();
        roles.close();
    }
}
