package io.tidemark.engine.shard;

import io.tidemark.engine.partition.Fragments;
import io.tidemark.engine.partition.RoutedWriter;
import io.tidemark.engine.partition.SpillDir;
import io.tidemark.engine.partition.SpillInput;
import io.tidemark.engine.partition.TimeCuts;
import io.tidemark.engine.plan.Hashing;
import io.tidemark.engine.plan.JoinPlan;
import io.tidemark.engine.plan.KeyColumns;
import io.tidemark.engine.plan.Side;
import io.tidemark.engine.plan.SpillLayout;
import io.tidemark.protocol.FailureKind;
import io.tidemark.protocol.ShardId;
import io.tidemark.protocol.TidemarkException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a hash bucket too large for memory: by a second key hash into groups that share no key, and
 * a group still too large (one hot key, or no by key at all) into time pieces: ranges of the on key
 * chosen from its key sample. A range never splits one on value, so equal keys (and so all ties)
 * stay in one piece; the prevailing right rows cross piece boundaries as carried rows (see
 * {@link BucketRunner}).
 */
public final class PieceSplitter
{
    private PieceSplitter() {}

    /**
     * Time pieces of one chain of a bucket, with ids from {@code firstId}; the bucket itself when its
     * sample gives no cut.
     */
    static List<Piece> split(JoinPlan plan, int bucket, int chain, int firstId, Fragments left, Fragments right, int wanted,
            BufferAllocator allocator, SpillDir spill)
    {
        long[] boundaries = boundaries(left.sample(), right.sample(), wanted);
        if (wanted <= 1 || boundaries.length == 0) {
            return List.of(new Piece(new ShardId(bucket, firstId), chain, left, right));
        }
        int pieces = boundaries.length + 1;
        TimeCuts cuts = new TimeCuts(boundaries);
        Router byTime = (on, hash, row) -> on.isNull(row) ? pieces - 1 : cuts.rangeOf(on.get(row));
        String name = "b" + bucket + "-c" + chain + "-piece";
        Fragments[] l = route(plan, Side.LEFT, name, left, pieces, byTime, allocator, spill);
        Fragments[] r = route(plan, Side.RIGHT, name, right, pieces, byTime, allocator, spill);
        List<Piece> out = new ArrayList<>();
        for (int p = 0; p < pieces; p++) {
            out.add(new Piece(new ShardId(bucket, firstId + p), chain, l[p], r[p]));
        }
        return out;
    }

    /**
     * Splits a bucket by its key hash into {@code groups} parts that share no key: {left parts, right
     * parts}. Unlike time pieces they need no carried rows, however many keys the bucket holds.
     */
    static Fragments[][] byKey(JoinPlan plan, int bucket, Fragments left, Fragments right, int groups,
            BufferAllocator allocator, SpillDir spill)
    {
        // the bucket was chosen by hash mod buckets: mix the hash again, or every row would land in one group
        Router byHash = (on, hash, row) -> (int) Long.remainderUnsigned(Hashing.mix(hash), groups);
        String name = "b" + bucket + "-group";
        return new Fragments[][] {
                route(plan, Side.LEFT, name, left, groups, byHash, allocator, spill),
                route(plan, Side.RIGHT, name, right, groups, byHash, allocator, spill)};
    }

    /** Where a row goes, from its on key and key hash. */
    private interface Router
    {
        int target(BigIntVector on, long hash, int row);
    }


    public static long[] boundaries(long[] leftSample, long[] rightSample, int pieces)
    {
        long[] all = new long[leftSample.length + rightSample.length];
        System.arraycopy(leftSample, 0, all, 0, leftSample.length);
        System.arraycopy(rightSample, 0, all, leftSample.length, rightSample.length);
        Arrays.sort(all);
        long[] cuts = new long[Math.max(0, pieces - 1)];
        int n = 0;
        for (int j = 1; j < pieces && all.length > 0; j++) {
            long cut = all[(int) ((long) j * all.length / pieces)];
            if ((n == 0 || cut > cuts[n - 1]) && cut > all[0]) {
                cuts[n++] = cut;
            }
        }
        return Arrays.copyOf(cuts, n);
    }

    /** The output range of a left row's on key: as {@link #pieceOf}, with NULL keys in the last range. */
    public static int rangeOf(long[] cuts, boolean isNull, long key)
    {
        return isNull ? cuts.length : pieceOf(cuts, key);
    }

    /** The piece of an on key: how many boundaries are at or below it. */
    public static int pieceOf(long[] boundaries, long key)
    {
        int lo = 0;
        int hi = boundaries.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (boundaries[mid] <= key) {
                lo = mid + 1;
            }
            else {
                hi = mid;
            }
        }
        return lo;
    }

    private static Fragments[] route(JoinPlan plan, Side side, String name, Fragments source, int pieces, Router router,
            BufferAllocator allocator, SpillDir spill)
    {
        String prefix = side.name().toLowerCase() + "-" + name;
        SpillLayout layout = plan.spillLayout(side);
        try (RoutedWriter writer = new RoutedWriter(layout, allocator, spill, prefix, pieces)) {
            for (Path file : source.files()) {
                try (ArrowStreamReader reader = new ArrowStreamReader(SpillInput.open(file, allocator), allocator)) {
                    VectorSchemaRoot batch = reader.getVectorSchemaRoot();   // as stored: no hash, maybe no on column
                    FieldVector[] columns = layout.columns(batch);
                    while (reader.loadNextBatch()) {
                        KeyColumns keys = layout.keys(columns);   // over this batch's buffers
                        int n = batch.getRowCount();
                        BigIntVector on = (BigIntVector) batch.getVector(JoinPlan.ON);
                        BaseIntVector ord = (BaseIntVector) batch.getVector(JoinPlan.ORD);   // 32 bits when narrowed
                        int[] target = new int[n];
                        for (int i = 0; i < n; i++) {
                            long hash = keys.hash(i);
                            target[i] = router.target(on, hash, i);
                            if (!on.isNull(i)) {
                                writer.fragments(target[i]).row(on.get(i), ord.getValueAsLong(i), hash);
                            }
                        }
                        int[][] routed = RoutedWriter.route(target, n, pieces);
                        writer.write(layout.columns(batch), routed[0], routed[1]);   // as stored: the derived column stays out
                    }
                }
                catch (IOException e) {
                    throw new TidemarkException(FailureKind.INPUT_LOST, "cannot read spill file " + file + ": " + e.getMessage(), e);
                }
                if (file.toAbsolutePath().startsWith(spill.path().toAbsolutePath())) {
                    SpillDir.deleteTree(file);   // ours: free the disk as we go; another folder's (a cluster map output) stays
                }
            }
            Fragments[] out = new Fragments[pieces];
            for (int p = 0; p < pieces; p++) {
                out[p] = writer.fragments(p);
            }
            return out;
        }
    }
}
