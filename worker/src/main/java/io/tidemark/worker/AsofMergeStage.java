package io.tidemark.worker;

import io.tidemark.engine.shard.BucketRunner;
import io.tidemark.engine.shard.PieceOutput;
import io.tidemark.engine.shard.PreparedShard;
import io.tidemark.engine.shard.ShardData;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FanInShape2;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;

import static java.util.Objects.requireNonNull;

/**
 * The two-input as-of merge of one piece: takes the piece's left rows on one inlet and its right
 * rows (with the rows carried in) on the other, sorts and matches them once both are in, then emits
 * one byte-capped output batch per downstream pull, so a slow collector slows the merge instead of
 * filling memory. It owns what it received and releases it when the stage stops, however it stops.
 */
final class AsofMergeStage
        extends GraphStage<FanInShape2<ShardData, ShardData, VectorSchemaRoot>>
{
    private final Inlet<ShardData> left = Inlet.create("AsofMerge.left");
    private final Inlet<ShardData> right = Inlet.create("AsofMerge.right");
    private final Outlet<VectorSchemaRoot> out = Outlet.create("AsofMerge.out");
    private final FanInShape2<ShardData, ShardData, VectorSchemaRoot> shape = new FanInShape2<>(left, right, out);
    private final BucketRunner runner;
    private final long batchBytes;
    private final PreparedShard.Keys keys;
    private final boolean runKeys;

    /**
     * {@code keys}: the key ids of the rows to come when the caller has them (a piece of the one-sort
     * plan), else null; {@code runKeys}: batches end with the left on key and ordinal (for the
     * collector's merge of runs or its output ranges), see {@link BucketRunner#output}.
     */
    AsofMergeStage(BucketRunner runner, PreparedShard.Keys keys, long batchBytes, boolean runKeys)
    {
        this.keys = keys;
        this.runKeys = runKeys;
        this.runner = requireNonNull(runner, "runner is null");
        this.batchBytes = batchBytes;
    }

    @Override
    public FanInShape2<ShardData, ShardData, VectorSchemaRoot> shape()
    {
        return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes attributes)
    {
        return new GraphStageLogic(shape)
        {
            private ShardData leftRows;
            private ShardData rightRows;
            private PieceOutput output;

            {
                setHandler(left, new AbstractInHandler()
                {
                    @Override
                    public void onPush()
                    {
                        leftRows = grab(left);
                        emitIfReady();
                    }

                    @Override
                    public void onUpstreamFinish()
                    {
                        if (leftRows == null) {
                            failStage(new IllegalStateException("the left rows of the piece never arrived"));
                        }
                    }
                });
                setHandler(right, new AbstractInHandler()
                {
                    @Override
                    public void onPush()
                    {
                        rightRows = grab(right);
                        emitIfReady();
                    }

                    @Override
                    public void onUpstreamFinish()
                    {
                        if (rightRows == null) {
                            failStage(new IllegalStateException("the right rows of the piece never arrived"));
                        }
                    }
                });
                setHandler(out, new AbstractOutHandler()
                {
                    @Override
                    public void onPull()
                    {
                        if (output != null) {
                            emitIfReady();
                            return;
                        }
                        if (leftRows == null && !hasBeenPulled(left)) {
                            pull(left);
                        }
                        if (rightRows == null && !hasBeenPulled(right)) {
                            pull(right);
                        }
                    }
                });
            }

            /** Once both sides are in and downstream wants a batch: the next batch, or completion. */
            private void emitIfReady()
            {
                if (leftRows == null || rightRows == null || !isAvailable(out)) {
                    return;
                }
                if (output == null) {
                    output = runner.output(leftRows, rightRows, keys, batchBytes, runKeys);
                }
                VectorSchemaRoot batch = output.next();
                if (batch != null) {
                    push(out, batch);
                    return;
                }
                runner.record(output, leftRows.rows());
                completeStage();
            }

            @Override
            public void postStop()
            {
                if (output != null) {
                    output.close();
                }
                if (leftRows != null) {
                    leftRows.close();
                }
                if (rightRows != null) {
                    rightRows.close();
                }
            }
        };
    }
}
