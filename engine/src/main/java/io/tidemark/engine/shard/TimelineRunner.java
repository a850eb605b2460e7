package io.tidemark.engine.shard;

import io.tidemark.engine.io.ParquetSink;
import io.tidemark.engine.partition.Fragments;
import io.tidemark.engine.partition.SpillDir;
import io.tidemark.engine.plan.JoinPlan;
import io.tidemark.engine.plan.Side;
import io.tidemark.protocol.ShardId;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The one-sort plan of a backward as-of join: both sides partitioned by time range (not by key), so
 * the ranges' outputs, joined in on-key order, are the output in pandas' order with no merge. The
 * prevailing right row of every key crosses range boundaries through a {@link CarryStore}: in range
 * order, each piece takes the rows its left keys need and then leaves its own last row per key.
 * Threads take pieces in order; loading, sorting and gathering run in parallel, and only the carry
 * step and (for one output file) the write step are taken in turn.
 */
public final class TimelineRunner
        implements AutoCloseable
{
    private final JoinPlan plan;
    private final BufferAllocator allocator;
    private final SpillDir spill;
    private final BucketRunner runner;
    private final CarryStore store;
    private final Turns carryTurns = new Turns();
    private final Turns writeTurns = new Turns();

    public TimelineRunner(JoinPlan plan, BufferAllocator allocator, SpillDir spill, long pieceBytes, long pieceRows,
            JoinCounters counters)
    {
        this.plan = requireNonNull(plan, "plan is null");
        this.allocator = requireNonNull(allocator, "allocator is null");
        this.spill = requireNonNull(spill, "spill is null");
        this.runner = new BucketRunner(plan, allocator, spill, pieceBytes, pieceRows, new long[0], counters);
        this.store = new CarryStore(plan, allocator);
    }

    /** The pieces of the time ranges in on-key order ({@link #pieces(int, Fragments, Fragments, long, long)} of each). */
    public List<Piece> pieces(List<Fragments> left, List<Fragments> right, long pieceBytes, long pieceRows)
    {
        List<Piece> out = new ArrayList<>();
        for (int r = 0; r < left.size(); r++) {
            out.addAll(pieces(r, left.get(r), right.get(r), pieceBytes, pieceRows));
        }
        return out;
    }

    /**
     * The pieces of one time range: itself, or when too large for a worker, time pieces of it
     * ({@link PieceSplitter}), in on-key order; their ids are (range, piece within it).
     */
    public List<Piece> pieces(int range, Fragments left, Fragments right, long pieceBytes, long pieceRows)
    {
        long wanted = Math.max((left.bytes() + right.bytes() + pieceBytes - 1) / pieceBytes,
                (left.rows() + right.rows() + pieceRows - 1) / pieceRows);
        if (wanted <= 1) {
            return List.of(new Piece(new ShardId(range, 0), 0, left, right));
        }
        return PieceSplitter.split(plan, range, 0, 0, left, right, (int) Math.min(4096, wanted), allocator, spill);
    }

    /**
     * Joins the {@code index}-th piece: into {@code shared} in piece order when it is given (one
     * output file), else into its own sink from {@code parts}. Deletes the piece's spill files (soon).
     */
    public void join(int index, Piece piece, OrderedFile shared, SinkFactory parts, long batchBytes)
    {
        try (Loaded loaded = load(index, true, true, piece);
                PieceOutput out = runner.output(loaded.left(), loaded.right(), loaded.keys(), batchBytes, false)) {
            if (shared == null) {
                try (ShardSink sink = parts.open(piece.id())) {
                    drain(out, sink::write);
                }
            }
            else {
                ParquetSink staged = shared.stage();
                try (ParquetSink encoder = staged) {
                    drain(out, encoder::write);
                }
                writeTurns.await(index);
                shared.append(staged);
                writeTurns.pass(index);
            }
            runner.record(out, loaded.left().rows());
        }
        catch (RuntimeException | Error e) {
            fail(e);
            throw e;
        }
        finally {
            piece.left().files().forEach(spill::deleteSoon);
            piece.right().files().forEach(spill::deleteSoon);
        }
    }

    /**
     * A piece ready for the as-of merge: its left rows, its right rows followed by the carried rows
     * its left keys need (the kernel orders right rows by on key and ordinal, not by position), and
     * the key ids of both.
     */
    public record Loaded(ShardData left, ShardData right, PreparedShard.Keys keys)
            implements AutoCloseable
    {
        @Override
        public void close()
        {
            try (ShardData l = left; ShardData r = right) {
                // both closed
            }
        }
    }

    /**
     * Loads a piece and takes its carry step in turn {@code turn}: the carried rows of its left keys
     * are copied out, then its own last right row per key replaces them. The pieces of one turn
     * come one after another from one thread: the first waits for the turn, the last passes it on.
     * Each row is keyed once: the carried rows take their left key's id. A failure fails the turns
     * (see {@link #fail}).
     */
    public Loaded load(int turn, boolean firstOfTurn, boolean lastOfTurn, Piece piece)
    {
        ShardData left = null;
        ShardData right = null;
        try {
            left = load(Side.LEFT, piece.left());
            right = load(Side.RIGHT, piece.right());
            PieceKeys keys = PieceKeys.of(plan, left, right);
            int[] last = keys.lastRightRows(right);
            if (firstOfTurn) {
                carryTurns.await(turn);
            }
            try (CarriedRows carried = store.lookup(left, keys.leftKeyRows())) {
                store.update(right, last);
                if (lastOfTurn) {
                    carryTurns.pass(turn);
                }
                right.append(carried.root());
                return new Loaded(left, right, keys.withCarried(carried.keyIndex()));
            }
        }
        catch (RuntimeException | Error e) {
            try (ShardData l = left; ShardData r = right) {
                fail(e);
            }
            throw e;
        }
    }

    /** Fails every turn: pieces waiting for one stop with {@code cause}. */
    public void fail(Throwable cause)
    {
        carryTurns.fail(cause);
        writeTurns.fail(cause);
    }

    /** Sorts and merges a loaded piece (and counts it), as hash pieces are. */
    public BucketRunner runner()
    {
        return runner;
    }

    private static void drain(PieceOutput out, java.util.function.Consumer<VectorSchemaRoot> sink)
    {
        for (VectorSchemaRoot batch; (batch = out.next()) != null; ) {
            try (VectorSchemaRoot b = batch) {
                sink.accept(b);
            }
        }
    }

    private ShardData load(Side side, Fragments fragments)
    {
        return ShardData.load(plan.spillLayout(side), allocator, List.of(fragments), List.of());
    }

    /**
     * About the most Arrow memory the carried rows take: one held row of {@code heldRowBytes} per
     * distinct right key (an estimate, so with a margin), the store's dead-row slack, and while it
     * compacts one more column of the live rows ({@code widestBytes} per row: compaction frees each
     * old column once copied).
     */
    public static long carryBytes(long distinctKeys, long heldRowBytes, long widestBytes)
    {
        return (long) (margin(distinctKeys) * (heldRowBytes * (1 + CarryStore.SLACK) + widestBytes));
    }

    /** About the most heap the carried rows' hash table and per-key arrays take. */
    public static long carryHeapBytes(long distinctKeys)
    {
        return (long) (margin(distinctKeys) * CarryStore.HEAP_BYTES_PER_KEY);
    }

    private static double margin(long distinctKeys)
    {
        return distinctKeys * 1.1;   // the sketch's error is about 1/sqrt(64)
    }

    @Override
    public void close()
    {
        store.close();
    }
}
