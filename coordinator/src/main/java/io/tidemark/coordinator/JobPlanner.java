package io.tidemark.coordinator;

import io.tidemark.engine.MemoryBudget;
import io.tidemark.engine.TimelinePlan;
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
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
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
    /** A map task of one worker's plan is at least this large before the planner makes two per slot. */
    static final long ONE_WORKER_TASK_BYTES = 64L << 20;
    /**
     * Shard size when the submitter names no shard count: the planner does not know its workers'
     * memory. (An embedded run names the count: it sizes shards for its own worker, as the direct
     * path does.)
     */
    static final long SHARD_BYTES = 48L << 20;

    private JobPlanner() {}

    /** A checked plan, turned into a {@link Submit} once the reply address exists. */
    public record Planned(JobId id, JoinSpec spec, String left, String right, String output, ResourceSpec resources, int buckets,
            long[] timeCuts, List<MapTask> maps, long leftRows, long rightRows)
    {
        public Submit submit(ActorRef<SubmitReply> replyTo)
        {
            return new Submit(id, spec, left, right, output, resources, buckets, timeCuts, maps, leftRows, rightRows, replyTo);
        }
    }

    public static Planned plan(JoinSpec spec, String left, String right, String output, ResourceSpec resources)
    {
        return plan(spec, left, right, output, resources, false);
    }

    /**
     * @param oneWorker the job runs on one worker with {@code resources}' memory (an embedded run): a
     *        backward as-of join whose carried rows fit it takes the one-sort plan ({@link TimelinePlan}),
     *        one shard per time range, joined in order on that worker
     */
    public static Planned plan(JoinSpec spec, String left, String right, String output, ResourceSpec resources, boolean oneWorker)
    {
        if (spec.exact()) {
            throw TidemarkException.fatal("--exact joins do not run on a cluster in this build; drop --cluster (plain join runs them on threads)");
        }
        InputTable l = InputTable.open(left);
        InputTable r = InputTable.open(right);
        JoinPlan checked = new JoinPlan(spec, l, r);   // validates columns, types and tolerance against the inputs
        JobId id = new JobId("job-" + UUID.randomUUID().toString().substring(0, 8));
        long bytes = l.uncompressedBytes() + r.uncompressedBytes() + 24 * (l.rows() + r.rows());
        int buckets = !spec.hasBy() ? 1 : resources.shards() > 0 ? resources.shards()
                : (int) Math.min(1024, Math.max(8, (bytes + SHARD_BYTES - 1) / SHARD_BYTES));
        TimelinePlan timeline = oneWorker ? timeline(checked, resources) : null;
        long[] timeCuts = timeline == null ? new long[0] : timeline.cuts();
        if (timeline != null) {
            buckets = timeline.ranges();
        }
        JobOrder provisional = new JobOrder(id, new Epoch(0), spec, left, right, output, resources, buckets, timeCuts);
        List<MapTask> maps = new ArrayList<>();
        if (timeline == null) {
            addMaps(maps, provisional, l, true, bySize(groupBytes(l), MAP_TASK_BYTES));
            addMaps(maps, provisional, r, false, bySize(groupBytes(r), MAP_TASK_BYTES));
        }
        else {
            // one worker: as few map tasks as keep its slots busy (each task writes a file per range), a side's of equal size
            int slots = Math.max(1, resources.workers());
            addMaps(maps, provisional, l, true, forSlots(groupBytes(l), slots));
            addMaps(maps, provisional, r, false, forSlots(groupBytes(r), slots));
        }
        return new Planned(id, spec, left, right, output, resources, buckets, timeCuts, maps, l.rows(), r.rows());
    }

    /** The one-sort plan for the one worker (sized as its {@code JobContext} sizes it), or null. */
    private static TimelinePlan timeline(JoinPlan plan, ResourceSpec resources)
    {
        if (!TimelinePlan.applies(plan.spec())) {
            return null;
        }
        MemoryBudget budget = new MemoryBudget(resources, Runtime.getRuntime().maxMemory());
        try (BufferAllocator allocator = new RootAllocator(budget.arrowLimit())) {
            return TimelinePlan.of(plan, budget, resources.workers(), allocator);
        }
    }

    /** The uncompressed bytes of each row group of {@code table} with rows, in file and group order. */
    private static long[] groupBytes(InputTable table)
    {
        return table.files().stream()
                .flatMap(file -> file.footer().getBlocks().stream())
                .filter(block -> block.getRowCount() > 0)
                .mapToLong(BlockMetaData::getTotalByteSize)
                .toArray();
    }

    /** Map tasks of {@code groups} in order: {@code ends[i]} is the row group after task {@code i}'s last. */
    private static void addMaps(List<MapTask> maps, JobOrder order, InputTable table, boolean left, int[] ends)
    {
        List<Integer> files = new ArrayList<>();
        List<Integer> groups = new ArrayList<>();
        int next = 0;
        int task = 0;
        for (int f = 0; f < table.files().size(); f++) {
            List<BlockMetaData> blocks = table.files().get(f).footer().getBlocks();
            for (int g = 0; g < blocks.size(); g++) {
                if (blocks.get(g).getRowCount() == 0) {
                    continue;
                }
                files.add(f);
                groups.add(g);
                next++;
                if (next == ends[task]) {
                    maps.add(task(order, maps.size(), left, files, groups));
                    files.clear();
                    groups.clear();
                    task++;
                }
            }
        }
    }

    /** Cuts row groups into tasks of at least {@code taskBytes} each (the last may be smaller), for pulling workers. */
    static int[] bySize(long[] groupBytes, long taskBytes)
    {
        List<Integer> ends = new ArrayList<>();
        long bytes = 0;
        for (int g = 0; g < groupBytes.length; g++) {
            bytes += groupBytes[g];
            if (bytes >= taskBytes || g == groupBytes.length - 1) {
                ends.add(g + 1);
                bytes = 0;
            }
        }
        return ends.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Cuts row groups for one worker's {@code slots}: {@code slots} tasks, or twice as many when
     * each would still hold {@link #ONE_WORKER_TASK_BYTES}, never more than there are row groups,
     * of about equal bytes (consecutive groups), so that no slot is left reading alone at the end.
     */
    static int[] forSlots(long[] groupBytes, int slots)
    {
        if (groupBytes.length == 0) {
            return new int[0];
        }
        long total = 0;
        for (long b : groupBytes) {
            total += b;
        }
        long rounds = Math.max(1, Math.min(2, total / ((long) slots * ONE_WORKER_TASK_BYTES)));
        int tasks = (int) Math.min(groupBytes.length, rounds * slots);
        int[] ends = new int[tasks];
        long bytes = 0;
        int task = 0;
        for (int g = 0; g < groupBytes.length && task < tasks; g++) {
            bytes += groupBytes[g];
            int groupsLeft = groupBytes.length - g - 1;
            // cut when this task has its share of the bytes, or when every later task needs one of the groups left
            if (bytes * tasks >= total * (task + 1) || groupsLeft == tasks - task - 1) {
                ends[task++] = g + 1;
            }
        }
        ends[tasks - 1] = groupBytes.length;
        return ends;
    }

    private static MapTask task(JobOrder order, int index, boolean left, List<Integer> files, List<Integer> groups)
    {
        return new MapTask(order, index, 0, left, files.stream().mapToInt(Integer::intValue).toArray(),
                groups.stream().mapToInt(Integer::intValue).toArray());
    }
}
