package io.tidemark.worker;

import io.tidemark.engine.shard.PieceSplitter;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;

import static java.util.Objects.requireNonNull;

/**
 * One piece's output on its way to the collector: each output range of the single-file merge is a
 * stream of its own, opened when its first batch comes (a piece's rows arrive in on-key order, so
 * one stream is open at a time; batches never span two ranges). Without ranges the one stream is
 * opened at once, so an empty piece still leaves its (empty) part file.
 */
final class PieceShipment
        implements AutoCloseable
{
    /** A stream to the collector: over Flight DoPut, or handed to a collector in this JVM. */
    interface Channel
            extends AutoCloseable
    {
        /** Sends {@code batch} and closes it. */
        void put(VectorSchemaRoot batch);

        /** Ends the stream and waits until the collector has written it. */
        void finish();

        @Override
        void close();
    }

    interface Opener
    {
        Channel open(int range);
    }

    private final long[] cuts;
    private final Opener opener;
    private Channel current;
    private int range = -1;

    PieceShipment(long[] cuts, Opener opener)
    {
        this.cuts = cuts.clone();
        this.opener = requireNonNull(opener, "opener is null");
        if (cuts.length == 0) {
            current = opener.open(0);
            range = 0;
        }
    }

    void put(VectorSchemaRoot batch)
    {
        if (batch.getRowCount() == 0) {
            batch.close();
            return;
        }
        if (cuts.length == 0) {
            current.put(batch);   // one range, opened at once; batches may come without their on key (a time range's)
            return;
        }
        BigIntVector on = (BigIntVector) batch.getVector(batch.getFieldVectors().size() - 2);
        int r = PieceSplitter.rangeOf(cuts, on.isNull(0), on.isNull(0) ? 0 : on.get(0));
        if (r != range) {
            if (r < range) {
                batch.close();
                throw new IllegalStateException("output range " + r + " after range " + range + ": piece output out of on-key order");
            }
            finishCurrent();
            current = opener.open(r);
            range = r;
        }
        current.put(batch);
    }

    void finish()
    {
        finishCurrent();
    }

    private void finishCurrent()
    {
        if (current != null) {
            try (Channel c = current) {
                current = null;
                c.finish();
            }
        }
    }

    @Override
    public void close()
    {
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
