package io.tidemark.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemark.engine.partition.Fragments;
import io.tidemark.engine.partition.SpillDir;
import io.tidemark.engine.shard.BucketRunner;
import io.tidemark.engine.shard.JoinCounters;
import io.tidemark.engine.shard.OutputAssembler;
import io.tidemark.engine.shard.Piece;
import io.tidemark.engine.shard.PieceTask;
import io.tidemark.engine.shard.PreparedShard;
import io.tidemark.engine.shard.ShardData;
import io.tidemark.engine.shard.ShardSink;
import io.tidemark.engine.shard.TimelineRunner;
import io.tidemark.protocol.FailureKind;
import io.tidemark.protocol.Failures;
import io.tidemark.protocol.TidemarkException;
import io.tidemark.protocol.cluster.CommitBody;
import io.tidemark.protocol.cluster.CommitDecision;
import io.tidemark.protocol.cluster.PiecePath;
import io.tidemark.protocol.cluster.FlightAddress;
import io.tidemark.protocol.cluster.ReduceTask;
import io.tidemark.protocol.cluster.ShardStats;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.Result;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.pekko.Done;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.ClosedShape;
import org.apache.pekko.stream.FanInShape2;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.GraphDSL;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.RunnableGraph;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs a reduce task (one shard): fetches the bucket's fragments (reading its own in place), cuts
 * the bucket into time pieces if it exceeds this worker's share of memory, runs each piece as a
 * Pekko Streams graph (load left | load right -> {@link AsofMergeStage} -> ship to the collector,
 * one stream per output range: Flight DoPut, or handed over when the collector runs in this JVM),
 * then asks the collector to commit the attempt (over Flight, or by a call when it runs in this JVM).
 */
final class ReduceRunner
{
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Shipped batches stay small: the collector's Flight server buffers a few messages per stream,
     * and it receives from every worker slot at once.
     */
    static final long SHIP_BATCH_BYTES = 2L << 20;
    /** What the collector's single-file merge may hold, one batch per run, estimated as buckets x this bucket's pieces. */
    static final long MERGE_BYTES = 64L << 20;

    private ReduceRunner() {}

    /** @param client a Flight client of {@code task.collector()}, shared by this worker's tasks; null when the output is handed over */
    static CommitDecision run(ReduceTask task, JobContext job, BufferAllocator allocator, Path spillRoot, FlightAddress self,
            FlightClient client, LocalCollector local, Materializer materializer, String dispatcher, Duration deadline)
    {
        int bucket = task.attempt().shard().bucket();
        try (SpillDir dir = SpillDir.onFirstUse(job.spill.path(), "reduce-" + bucket + "-a" + task.attempt().number())) {
            ShardFragments fragments = ShardFragments.gather(task, job, allocator, spillRoot, self, dir, deadline);
            Fragments left = fragments.left;
            Fragments right = fragments.right;
            JoinCounters counters = new JoinCounters();
            long[] cuts = task.cuts();
            boolean timeline = task.job().timeline();
            // a time range of the one-sort plan: its pieces take the carried rows in turn, the job's turn order being shard order
            TimelineRunner ordered = timeline ? job.timeline(allocator) : null;
            long pieceBytes = timeline ? job.budget.timelinePieceBytes() : job.budget.pieceBytes();
            BucketRunner runner = new BucketRunner(job.plan, allocator, dir, pieceBytes, job.budget.pieceRows(), cuts, counters);
            List<Piece> pieces = timeline ? ordered.pieces(bucket, left, right, pieceBytes, job.budget.pieceRows()) : runner.pieces(bucket, left, right);
            List<PieceTask> tasks = timeline ? pieces.stream().map(p -> new PieceTask(p, List.of())).toList() : runner.tasks(pieces);
            // a time plan's shards are written as parts, appended to the single file in shard order by the collector
            boolean run = task.job().singleFile() && !timeline;
            boolean handOver = local != null && local.address().equals(task.collector());
            // the collector merges at most the job's worker count of ranges at once (OutputPublisher)
            long mergedRuns = (long) task.job().buckets() * pieces.size() * Math.min(cuts.length + 1, Math.max(1, task.job().resources().workers()));
            long batchBytes = run ? runBatchBytes(job, mergedRuns, handOver) : handOver ? job.budget.batchBytes() : SHIP_BATCH_BYTES;
            // a time range's output is in order and in one output range: no merge or range needs its on key and ordinal
            boolean runKeys = !timeline || cuts.length > 0;
            Schema shipped = runKeys ? OutputAssembler.runSchema(job.plan) : OutputAssembler.orderedSchema(job.plan);
            try {
                for (int j = 0; j < tasks.size(); j++) {
                    PieceTask piece = tasks.get(j);
                    job.checkLive();
                    int id = piece.piece().id().piece();
                    PieceShipment.Opener opener = range -> {
                        PiecePath path = new PiecePath(task.job().id(), task.attempt(), task.job().epoch(), id, range, run);
                        return handOver ? new LocalChannel(open(local, path, shipped, allocator))
                                : new PieceUpload(client, allocator, FlightDescriptor.path(path.segments().toArray(new String[0])), shipped, deadline);
                    };
                    TimelineRunner.Loaded loaded = timeline ? ordered.load(bucket, j == 0, j == tasks.size() - 1, piece.piece()) : null;
                    try (PieceShipment shipment = new PieceShipment(cuts, opener)) {
                        Supplier<ShardData> leftRows = loaded != null ? loaded::left : () -> runner.loadLeft(piece);
                        Supplier<ShardData> rightRows = loaded != null ? loaded::right : () -> runner.loadRight(piece);
                        await(graph(runner, leftRows, rightRows, loaded == null ? null : loaded.keys(), runKeys, shipment, batchBytes, !handOver)
                                .withAttributes(ActorAttributes.dispatcher(dispatcher))
                                .run(materializer), deadline, "piece " + piece.piece().id());
                        shipment.finish();
                    }
                    finally {
                        if (loaded != null) {
                            loaded.close();   // the merge stage closed them already unless it failed first
                        }
                        if (timeline && tasks.size() > 1) {
                            piece.piece().left().files().forEach(job.spill::deleteSoon);
                            piece.piece().right().files().forEach(job.spill::deleteSoon);
                        }
                    }
                }
                ShardStats stats = new ShardStats(counters.rowsJoined.sum(), counters.rowsSorted.sum(), counters.rowsOut.sum(),
                        counters.rowsMatched.sum(), pieces.size(), counters.spilledBytes.sum());
                CommitDecision decision = handOver ? commit(local, task, stats) : commit(client, task, stats);
                if (decision == CommitDecision.COMMIT) {
                    ShardFragments.dropOwn(task, job, spillRoot, self);
                }
                return decision;
            }
            catch (FlightRuntimeException e) {
                throw failed(ordered, new TidemarkException(FailureKind.TRANSIENT, "collector " + task.collector() + ": " + e.getMessage(), e));
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failed(ordered, new TidemarkException(FailureKind.TRANSIENT, "interrupted", e));
            }
            catch (RuntimeException e) {
                throw failed(ordered, e);
            }
            catch (Error e) {
                throw failed(ordered, e);
            }
        }
    }

    /**
     * left rows | right rows -> as-of merge -> ship. Over Flight the upload waits on the network, so
     * an async boundary holding one batch lets the merge build the next one meanwhile; handed over,
     * shipping is a file append and runs in the merge's own thread.
     */
    private static RunnableGraph<CompletionStage<Done>> graph(BucketRunner runner, Supplier<ShardData> leftRows, Supplier<ShardData> rightRows,
            PreparedShard.Keys keys, boolean runKeys, PieceShipment shipment, long batchBytes, boolean overFlight)
    {
        Source<ShardData, ?> left = Source.lazySingle(leftRows::get);
        Source<ShardData, ?> right = Source.lazySingle(rightRows::get);
        Sink<VectorSchemaRoot, CompletionStage<Done>> ship = Flow.of(VectorSchemaRoot.class)
                .map(batch -> {
                    shipment.put(batch);
                    return batch.getRowCount();
                })
                .toMat(Sink.ignore(), Keep.right());
        if (overFlight) {
            ship = ship.addAttributes(Attributes.inputBuffer(1, 1)).async();
        }
        return RunnableGraph.fromGraph(GraphDSL.create(ship, (b, sink) -> {
            FanInShape2<ShardData, ShardData, VectorSchemaRoot> merge = b.add(new AsofMergeStage(runner, keys, batchBytes, runKeys));
            b.from(b.add(left)).toInlet(merge.in0());
            b.from(b.add(right)).toInlet(merge.in1());
            b.from(merge.out()).to(sink);
            return ClosedShape.getInstance();
        }));
    }

    /** A time range that fails fails the turns of the shards after it (they wait for it otherwise); the job then fails. */
    private static <T extends Throwable> T failed(TimelineRunner ordered, T e)
    {
        if (ordered != null) {
            ordered.fail(e);
        }
        return e;
    }

    /**
     * Batch bytes of shipped runs: the single-file merge holds one batch of every run. A collector in
     * this JVM merges within this process's budget, as the direct path does; a remote one within
     * {@link #MERGE_BYTES}.
     */
    private static long runBatchBytes(JobContext job, long runs, boolean handOver)
    {
        if (handOver) {
            return job.budget.runBatchBytes((int) Math.min(Integer.MAX_VALUE, runs));
        }
        return Math.max(64 << 10, Math.min(SHIP_BATCH_BYTES, MERGE_BYTES / runs));
    }

    private static ShardSink open(LocalCollector local, PiecePath path, Schema shipped, BufferAllocator allocator)
    {
        try {
            return local.open(path, shipped, allocator);
        }
        catch (java.io.IOException e) {
            throw new TidemarkException(FailureKind.TRANSIENT, "collector " + local.address() + ": " + e.getMessage(), e);
        }
    }

    private static void await(CompletionStage<Done> done, Duration deadline, String what)
            throws InterruptedException
    {
        try {
            done.toCompletableFuture().get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new TidemarkException(Failures.classify(cause), Failures.message(cause), cause);
        }
        catch (TimeoutException e) {
            throw new TidemarkException(FailureKind.TRANSIENT, what + " did not finish within " + deadline.toSeconds() + " s", e);
        }
    }

    /** Asks the collector in this JVM: the same commit as the Flight action, without the round trip through gRPC. */
    private static CommitDecision commit(LocalCollector local, ReduceTask task, ShardStats stats)
    {
        try {
            return local.commit(task.job().id(), task.attempt(), task.job().epoch(), stats);
        }
        catch (java.io.IOException e) {
            throw new TidemarkException(FailureKind.TRANSIENT, "collector " + local.address() + ": " + e.getMessage(), e);
        }
    }

    private static CommitDecision commit(FlightClient client, ReduceTask task, ShardStats stats)
    {
        try {
            byte[] body = JSON.writeValueAsBytes(new CommitBody(task.job().id().value(), task.attempt().shard().bucket(),
                    task.attempt().number(), task.job().epoch().value(), stats));
            Iterator<Result> results = client.doAction(new Action("commit", body));
            String answer = results.hasNext() ? new String(results.next().getBody(), StandardCharsets.UTF_8) : "";
            while (results.hasNext()) {
                results.next();
            }
            return CommitDecision.valueOf(answer);
        }
        catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
