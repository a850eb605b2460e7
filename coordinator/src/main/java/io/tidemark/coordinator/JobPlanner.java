package io.tidemark.coordinator;

import io.tidemark.engine.io.InputFile;
import io.tidemark.engine.io.InputTable;
import io.tidemark.engine.plan.JoinPlan;
import io.tidemark.protocol.Epoch;
import io.tidemark.protocol.JobId;
import io.tidemark.protocol.JoinSpec;
import io.tidemark.protocol.ResourceSpec;
import io.tidemark.protocol.TidemarkException;
import io.tidemark.protocol.cluster.CoordinatorProtocol.Submit;
import io.tidemark.protocol.cluster.CoordinatorProtocol.SubmitReply;
import io.tidemark.protocol.cluster.JobOrder;
import io.tidemark.protocol.cluster.MapTask;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.pekko.actor.typed.ActorRef;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Plans a submitted join before anything runs: opens both inputs (footers only) and checks the join
 * against them, so bad input fails at once with the message a local run would print; then groups row
 * groups into map tasks of about {@link #MAP_TASK_BYTES} and picks the hash bucket (shard) count.
 */
public final class JobPlanner
{
    static final long MAP_TASK_BYTES = 96L << 20;
    /**
     * Shard size when the submitter names no shard count: the planner does not know its workers'
     * memory. (An embedded run names the count: it sizes shards for its own worker, as the direct
     * path does.)
     */
    static final long SHARD_BYTES = 48L << 20;

    private JobPlanner() {}

    /** A checked plan, turned into a {@link Submit} once the reply address exists. */
    public record Planned(JobId id, JoinSpec spec, String left, String right, String output, ResourceSpec resources, int buckets,
            List<MapTask> maps, long leftRows, long rightRows)
    {
        public Submit submit(ActorRef<SubmitReply> replyTo)
        {
            return new Submit(id, spec, left, right, output, resources, buckets, maps, leftRows, rightRows, replyTo);
        }
    }

    public static Planned plan(JoinSpec spec, String left, String right, String output, ResourceSpec resources)
    {
        if (spec.exact()) {
            throw TidemarkException.fatal("--exact joins do not run on a cluster in this build; drop --cluster (plain join runs them on threads)");
        }
        InputTable l = InputTable.open(left);
        InputTable r = InputTable.open(right);
        new JoinPlan(spec, l, r);   // validates columns, types and tolerance against the inputs
        JobId id = new JobId("job-" + UUID.randomUUID().toString().substring(0, 8));
        long bytes = l.uncompressedBytes() + r.uncompressedBytes() + 24 * (l.rows() + r.rows());
        int buckets = !spec.hasBy() ? 1 : resources.shards() > 0 ? resources.shards()
                : (int) Math.min(1024, Math.max(8, (bytes + SHARD_BYTES - 1) / SHARD_BYTES));
        JobOrder provisional = new JobOrder(id, new Epoch(0), spec, left, right, output, resources, buckets);
        List<MapTask> maps = new ArrayList<>();
        addMaps(maps, provisional, l, true);
        addMaps(maps, provisional, r, false);
        return new Planned(id, spec, left, right, output, resources, buckets, maps, l.rows(), r.rows());
    }

    private static void addMaps(List<MapTask> maps, JobOrder order, InputTable table, boolean left)
    {
        List<Integer> files = new ArrayList<>();
        List<Integer> groups = new ArrayList<>();
        long bytes = 0;
        for (int f = 0; f < table.files().size(); f++) {
            InputFile file = table.files().get(f);
            List<BlockMetaData> blocks = file.footer().getBlocks();
            for (int g = 0; g < blocks.size(); g++) {
                if (blocks.get(g).getRowCount() == 0) {
                    continue;
                }
                files.add(f);
                groups.add(g);
                bytes += blocks.get(g).getTotalByteSize();
                if (bytes >= MAP_TASK_BYTES) {
                    maps.add(task(order, maps.size(), left, files, groups));
                    files.clear();
                    groups.clear();
                    bytes = 0;
                }
            }
        }
        if (!files.isEmpty()) {
            maps.add(task(order, maps.size(), left, files, groups));
        }
    }

    private static MapTask task(JobOrder order, int index, boolean left, List<Integer> files, List<Integer> groups)
    {
        return new MapTask(order, index, 0, left, files.stream().mapToInt(Integer::intValue).toArray(),
                groups.stream().mapToInt(Integer::intValue).toArray());
    }
}
