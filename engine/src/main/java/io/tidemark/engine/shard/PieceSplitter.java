package io.tidemark.engine.shard;

import io.tidemark.engine.partition.Fragments;
import io.tidemark.engine.partition.RoutedWriter;
import io.tidemark.engine.partition.SpillDir;
import io.tidemark.engine.plan.JoinPlan;
import io.tidemark.engine.plan.Side;
import io.tidemark.protocol.FailureKind;
import io.tidemark.protocol.ShardId;
import io.tidemark.protocol.TidemarkException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a hash bucket too large for memory (one hot key, or no by key at all) into time pieces:
 * ranges of the on key chosen from the bucket's key sample. A range never splits one on value, so
 * equal keys (and so all ties) stay in one piece; the prevailing right rows cross piece boundaries
 * as carried rows (see {@link BucketRunner}).
 */
public final class PieceSplitter
{
    private PieceSplitter() {}

    static List<Piece> split(JoinPlan plan, int bucket, Fragments left, Fragments right, int wanted,
            BufferAllocator allocator, SpillDir spill)
    {
        long[] boundaries = boundaries(left.sample(), right.sample(), wanted);
        if (wanted <= 1 || boundaries.length == 0) {
            return List.of(new Piece(new ShardId(bucket, 0), left, right));
        }
        int pieces = boundaries.length + 1;
        Fragments[] l = route(plan, Side.LEFT, bucket, left, boundaries, allocator, spill);
        Fragments[] r = route(plan, Side.RIGHT, bucket, right, boundaries, allocator, spill);
        List<Piece> out = new ArrayList<>();
        for (int p = 0; p < pieces; p++) {
            out.add(new Piece(new ShardId(bucket, p), l[p], r[p]));
        }
        return out;
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

    private static Fragments[] route(JoinPlan plan, Side side, int bucket, Fragments source, long[] boundaries,
            BufferAllocator allocator, SpillDir spill)
    {
        int pieces = boundaries.length + 1;
        String prefix = side.name().toLowerCase() + "-b" + bucket + "-piece";
        try (RoutedWriter writer = new RoutedWriter(plan.spillSchema(side), allocator, spill, prefix, pieces)) {
            for (Path file : source.files()) {
                try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
                        ArrowStreamReader reader = new ArrowStreamReader(in, allocator)) {
                    VectorSchemaRoot batch = reader.getVectorSchemaRoot();
                    while (reader.loadNextBatch()) {
                        int n = batch.getRowCount();
                        BigIntVector on = (BigIntVector) batch.getVector(JoinPlan.ON);
                        BigIntVector ord = (BigIntVector) batch.getVector(JoinPlan.ORD);
                        int[] target = new int[n];
                        for (int i = 0; i < n; i++) {
                            target[i] = on.isNull(i) ? pieces - 1 : pieceOf(boundaries, on.get(i));
                            if (!on.isNull(i)) {
                                writer.fragments(target[i]).sample(on.get(i), ord.get(i));
                            }
                        }
                        int[][] routed = RoutedWriter.route(target, n, pieces);
                        writer.write(batch, routed[0], routed[1]);
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
