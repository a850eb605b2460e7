package io.tidemark.engine.shard;

import io.tidemark.engine.kernel.ExactKernel;
import io.tidemark.engine.partition.Fragments;
import io.tidemark.engine.partition.RoutedWriter;
import io.tidemark.engine.partition.SpillDir;
import io.tidemark.engine.plan.JoinPlan;
import io.tidemark.engine.plan.Side;
import io.tidemark.engine.plan.SpillLayout;
import io.tidemark.engine.vec.Gather;
import io.tidemark.protocol.Direction;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Runs the join of one hash bucket: its pieces in on-key order, each loaded, sorted and merged in
 * memory. Between pieces the prevailing right rows are carried: for backward (and nearest) the
 * last right row per key before the piece, for forward (and nearest) the first right row per key
 * after it, computed by a descending pass over the right pieces first. Carried rows keep their on
 * key and ordinal, so the kernel treats them as any other right row and ties still resolve by input
 * order.
 */
public final class BucketRunner
{
    private final JoinPlan plan;
    private final BufferAllocator allocator;
    private final SpillDir spill;
    private final long pieceBytes;
    private final long pieceRows;
    private final long[] outputCuts;
    private final JoinCounters counters;

    public BucketRunner(JoinPlan plan, BufferAllocator allocator, SpillDir spill, long pieceBytes, long pieceRows,
            long[] outputCuts, JoinCounters counters)
    {
        this.outputCuts = outputCuts.clone();
        this.plan = requireNonNull(plan, "plan is null");
        this.allocator = requireNonNull(allocator, "allocator is null");
        this.spill = requireNonNull(spill, "spill is null");
        this.pieceBytes = pieceBytes;
        this.pieceRows = pieceRows;
        this.counters = requireNonNull(counters, "counters is null");
    }

    /**
     * The pieces of a bucket: itself when it fits a worker's share; else time pieces when the rows
     * they carry stay small (no by key, few keys, exact joins); else groups by a second key hash
     * (independent chains), each cut into time pieces only if still too large (a hot key). Every
     * piece is spilled anew.
     */
    public List<Piece> pieces(int bucket, Fragments left, Fragments right)
    {
        int wanted = wanted(left, right);
        if (wanted <= 1) {
            return List.of(new Piece(new io.tidemark.protocol.ShardId(bucket, 0), 0, left, right));
        }
        if (!plan.spec().hasBy() || plan.spec().exact() || fewKeys(right)) {
            return PieceSplitter.split(plan, bucket, 0, 0, left, right, wanted, allocator, spill);
        }
        Fragments[][] groups = PieceSplitter.byKey(plan, bucket, left, right, wanted, allocator, spill);
        List<Piece> pieces = new ArrayList<>();
        for (int g = 0; g < wanted; g++) {
            Fragments l = groups[0][g];
            Fragments r = groups[1][g];
            if (l.rows() == 0 && !plan.spec().exact()) {
                continue;   // no left rows, no output (an exact join still checks the right side's duplicates)
            }
            pieces.addAll(PieceSplitter.split(plan, bucket, g, pieces.size(), l, r, wanted(l, r), allocator, spill));
        }
        return pieces;
    }

    /**
     * Time pieces carry the prevailing right row of every key into each piece (exact joins carry
     * none): cheap while those rows are a small part of a piece, as for a hot key; with many keys
     * they would outgrow the piece, so the bucket is split by key first.
     */
    private boolean fewKeys(Fragments right)
    {
        long keys = right.distinctKeys() * (plan.spec().direction() == Direction.NEAREST ? 2 : 1);
        long rowBytes = right.rows() == 0 ? 0 : right.bytes() / right.rows();
        return keys <= pieceRows / 8 && keys * rowBytes <= pieceBytes / 8;
    }

    private int wanted(Fragments left, Fragments right)
    {
        long byBytes = (left.bytes() + right.bytes() + pieceBytes - 1) / pieceBytes;
        long byRows = (left.rows() + right.rows() + pieceRows - 1) / pieceRows;
        return (int) Math.min(4096, Math.max(byBytes, byRows));
    }

    /** Exact joins: counts output rows and duplicated keys of one piece, writing nothing. */
    public void check(Piece piece, ExactReport report)
    {
        try (ShardData left = load(Side.LEFT, piece.left(), List.of());
                ShardData right = load(Side.RIGHT, piece.right(), List.of())) {
            PreparedShard p = new PreparedShard(plan, left, right, true);
            ExactKernel kernel = exact(p);
            report.add(plan, left, right, p, kernel);
        }
    }

    /**
     * The join tasks of a bucket: its pieces, each with the right rows it needs from the others
     * (the last right row per key before it, the first after it), computed by one pass over the
     * right pieces in each direction and spilled. The tasks are then independent of each other.
     */
    public List<PieceTask> tasks(List<Piece> pieces)
    {
        List<PieceTask> tasks = new ArrayList<>();
        for (int from = 0; from < pieces.size(); ) {
            int to = from + 1;
            while (to < pieces.size() && pieces.get(to).chain() == pieces.get(from).chain()) {
                to++;
            }
            tasks.addAll(chainTasks(pieces.subList(from, to)));
            from = to;
        }
        return tasks;
    }

    /** The tasks of one chain of time pieces: rows carry across its piece boundaries only. */
    private List<PieceTask> chainTasks(List<Piece> pieces)
    {
        Direction direction = plan.spec().direction();
        boolean several = pieces.size() > 1 && !plan.spec().exact();
        Fragments[] before = several && direction != Direction.FORWARD ? carried(pieces, true) : new Fragments[pieces.size()];
        Fragments[] after = several && direction != Direction.BACKWARD ? carried(pieces, false) : new Fragments[pieces.size()];
        List<PieceTask> tasks = new ArrayList<>();
        for (int j = 0; j < pieces.size(); j++) {
            List<Fragments> carriedRows = new ArrayList<>();
            if (before[j] != null) {
                carriedRows.add(before[j]);
            }
            if (after[j] != null) {
                carriedRows.add(after[j]);
            }
            tasks.add(new PieceTask(pieces.get(j), carriedRows));
        }
        return tasks;
    }

    /** Joins one piece into its own sink, in output batches of {@code batchBytes}. */
    public void join(PieceTask task, SinkFactory sinks, long batchBytes)
    {
        try (ShardData left = loadLeft(task);
                ShardData right = loadRight(task);
                ShardSink sink = sinks.open(task.piece().id());
                PieceOutput out = output(left, right, batchBytes)) {
            for (VectorSchemaRoot batch; (batch = out.next()) != null; ) {
                try (VectorSchemaRoot b = batch) {
                    sink.write(b);
                }
            }
            record(out, left.rows());
        }
    }

    /** A piece's left rows, loaded from its spill files. */
    public ShardData loadLeft(PieceTask task)
    {
        return load(Side.LEFT, task.piece().left(), List.of());
    }

    /** A piece's right rows and the rows carried into it. */
    public ShardData loadRight(PieceTask task)
    {
        return load(Side.RIGHT, task.piece().right(), task.carried());
    }

    /** Sorts and merges a loaded piece; its output is pulled batch by batch. Counts it as sorted. */
    public PieceOutput output(ShardData left, ShardData right, long batchBytes)
    {
        return output(left, right, null, batchBytes, true);
    }

    /**
     * As {@link #output(ShardData, ShardData, long)}, with the rows' key ids when the caller has them
     * (else null); {@code runKeys}: batches end with the left on key and ordinal, for a merge of runs
     * ({@link OutputAssembler#runSchema}), or leave them out (output in order, a time piece's).
     */
    public PieceOutput output(ShardData left, ShardData right, PreparedShard.Keys keys, long batchBytes, boolean runKeys)
    {
        counters.rowsSorted.add(left.rows() + right.rows());
        return new PieceOutput(plan, left, right, keys, allocator, batchBytes, outputCuts, runKeys);
    }

    /** Counts a finished piece. */
    public void record(PieceOutput out, long leftRows)
    {
        counters.rowsOut.add(out.rows());
        counters.rowsMatched.add(out.matched());
        counters.rowsJoined.add(leftRows);
        counters.shards.incrementAndGet();
    }

    /**
     * For each piece, the prevailing right row per key from the pieces before it ({@code before}:
     * the last in (on, ordinal) order) or after it (the first), spilled; null where there is none.
     */
    private Fragments[] carried(List<Piece> pieces, boolean before)
    {
        int n = pieces.size();
        Fragments[] out = new Fragments[n];
        for (int step = 0; step < n - 1; step++) {
            int j = before ? step : n - 1 - step;     // the piece whose rows move on
            int next = before ? j + 1 : j - 1;        // the piece that receives them
            List<Fragments> previous = out[j] == null ? List.of() : List.of(out[j]);
            try (ShardData right = load(Side.RIGHT, pieces.get(j).right(), previous)) {
                PreparedShard p = new PreparedShard(plan, null, right, false);
                try (VectorSchemaRoot rows = gather(right, p.extremePerKey(before));
                        RoutedWriter writer = new RoutedWriter(plan.spillLayout(Side.RIGHT), allocator, spill,
                                "carry-" + (before ? "before-" : "after-") + pieces.get(next).id().fileName(), 1)) {
                    int count = rows.getRowCount();
                    int[] order = new int[count];
                    for (int i = 0; i < count; i++) {
                        order[i] = i;
                    }
                    writer.write(SpillLayout.columnsOf(rows), order, new int[] {0, count});
                    out[next] = count == 0 ? null : writer.fragments(0);
                }
            }
        }
        return out;
    }

    private ShardData load(Side side, Fragments fragments, List<Fragments> carried)
    {
        List<Fragments> parts = new ArrayList<>(carried);
        parts.add(fragments);
        return ShardData.load(plan.spillLayout(side), allocator, parts, List.of());
    }

    private VectorSchemaRoot gather(ShardData data, int[] rows)
    {
        VectorSchemaRoot out = VectorSchemaRoot.create(data.root().getSchema(), allocator);
        for (int c = 0; c < out.getFieldVectors().size(); c++) {
            FieldVector src = data.vector(c);
            FieldVector dst = out.getVector(c);
            Gather.reserve(dst, rows.length, Gather.dataBytes(src, rows, 0, rows.length));
            Gather.gather(src, rows, rows.length, dst, 0);
            dst.setValueCount(rows.length);
        }
        out.setRowCount(rows.length);
        return out;
    }

    private ExactKernel exact(PreparedShard p)
    {
        return new ExactKernel(p.leftSorted, p.leftOn, p.leftKey, p.rightSorted, p.rightOn, p.rightKey, p.keys);
    }
}
