package io.tidemark.worker;

import io.tidemark.engine.partition.Fragments;
import io.tidemark.engine.partition.SpillDir;
import io.tidemark.engine.plan.Side;
import io.tidemark.protocol.FailureKind;
import io.tidemark.protocol.TidemarkException;
import io.tidemark.protocol.cluster.FlightAddress;
import io.tidemark.protocol.cluster.FlightTransport;
import io.tidemark.protocol.cluster.FragmentRef;
import io.tidemark.protocol.cluster.ReduceTask;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The map outputs (fragments) of one reduce task, by side: this worker's own are read where they
 * are, other workers' are fetched over Flight into the task's folder first (a source that sends
 * nothing for too long counts as lost: {@link FragmentsLost}).
 */
final class ShardFragments
{
    final Fragments left;
    final Fragments right;

    private ShardFragments(Fragments left, Fragments right)
    {
        this.left = left;
        this.right = right;
    }

    static ShardFragments gather(ReduceTask task, JobContext job, BufferAllocator allocator, Path spillRoot, FlightAddress self, SpillDir dir,
            Duration deadline)
    {
        Fragments left = new Fragments(job.plan.spillSchema(Side.LEFT).getFields().size());
        Fragments right = new Fragments(job.plan.spillSchema(Side.RIGHT).getFields().size());
        Map<FlightAddress, FlightClient> sources = new HashMap<>();   // one client per map worker
        try {
            for (FragmentRef ref : task.fragments()) {
                job.checkLive();
                Path file = ref.at().equals(self) ? spillRoot.resolve(ref.path()) : fetch(sources, allocator, ref, dir, deadline);
                Fragments into = ref.left() ? left : right;
                into.addFile(file);
                into.addBatch((int) ref.rows(), ref.bytes(), ref.varBytes());
                long[] sample = ref.sample();
                for (int i = 0; i < sample.length; i++) {
                    into.sample(sample[i], ((long) ref.mapIndex() << 32) | i);   // a repeatable identity per sampled row
                }
            }
        }
        finally {
            for (FlightClient c : sources.values()) {
                closeQuietly(c);
            }
        }
        return new ShardFragments(left, right);
    }

    /**
     * A committed shard never needs its map outputs again: this worker's own are deleted at once, so
     * the kernel drops their pages instead of writing them back (other workers keep theirs until the
     * job ends).
     */
    static void dropOwn(ReduceTask task, JobContext job, Path spillRoot, FlightAddress self)
    {
        for (FragmentRef ref : task.fragments()) {
            if (ref.at().equals(self)) {
                job.spill.deleteSoon(spillRoot.resolve(ref.path()));
            }
        }
    }

    private static Path fetch(Map<FlightAddress, FlightClient> sources, BufferAllocator allocator, FragmentRef ref, SpillDir dir,
            Duration deadline)
    {
        Path target = dir.file("fetched-" + (ref.left() ? "l" : "r") + "-m" + ref.mapIndex() + ".arrows");
        Location from = Location.forGrpcInsecure(ref.at().host(), ref.at().port());
        try {
            FlightClient client = sources.computeIfAbsent(ref.at(), a -> FlightTransport.client(allocator, from));
            FragmentFetcher.fetch(client, from, FragmentServer.ticket(Path.of(ref.path())), target, idle(deadline), deadline);
            return target;
        }
        catch (TidemarkException e) {
            if (e.kind() == FailureKind.INPUT_LOST) {
                throw new FragmentsLost(ref.at(), e);
            }
            throw e;
        }
    }

    /** How long a fetch may see no data before the source counts as lost (a paused worker still accepts connections). */
    private static Duration idle(Duration deadline)
    {
        Duration idle = Duration.ofSeconds(Long.getLong("tidemark.fetch-idle-timeout", 30));
        return idle.compareTo(deadline) < 0 ? idle : deadline;
    }

    private static void closeQuietly(FlightClient client)
    {
        try {
            client.close();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        catch (RuntimeException e) {
            // closing anyway
        }
    }
}
