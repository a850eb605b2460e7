package io.tidemark.coordinator;

import io.tidemark.engine.io.InputTable;
import io.tidemark.engine.io.ParquetSink;
import io.tidemark.engine.output.AtomicOutput;
import io.tidemark.engine.partition.SpillDir;
import io.tidemark.engine.plan.JoinPlan;
import io.tidemark.protocol.AttemptId;
import io.tidemark.protocol.FailureKind;
import io.tidemark.protocol.ShardId;
import io.tidemark.protocol.TidemarkException;
import io.tidemark.protocol.cluster.JobOrder;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.parquet.hadoop.ParquetFileWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;

import static java.util.Objects.requireNonNull;

/**
 * The single output file of a time-range job (one-sort plan), written while the job runs: each
 * shard is a consecutive stretch of the output, so as soon as shards 0..k are committed their part
 * files' row groups are appended to the file in (shard, piece) order, on the blocking executor, and
 * deleted. A worker in this JVM hands its pieces over encoded instead ({@link #stage}): their row
 * groups wait in memory until their attempt commits and its turn comes, and are written then,
 * never through a part file. The publish appends whatever is left, writes the footer and renames
 * the file into place. A job that fails closes it: the temporary file goes.
 */
final class OrderedAppend
        implements AutoCloseable
{
    private final ShardCollector collector;
    private final JobOrder job;
    private final Executor blocking;
    private final Schema schema;
    private final AtomicOutput out;
    private final ParquetFileWriter writer;
    /** Pieces handed over encoded, by attempt and piece number, until the attempt commits or is refused. */
    private final Map<AttemptId, TreeMap<Integer, ParquetSink>> staged = new HashMap<>();
    /** The committed attempt of each shard that handed its pieces over. */
    private final Map<Integer, AttemptId> winners = new HashMap<>();
    /** The next shard to append. */
    private int next;
    private long rows;
    private Exception failure;
    private boolean ended;
    private boolean closed;

    private OrderedAppend(ShardCollector collector, JobOrder job, Executor blocking, Schema schema, AtomicOutput out, ParquetFileWriter writer)
    {
        this.collector = collector;
        this.job = job;
        this.blocking = blocking;
        this.schema = schema;
        this.out = out;
        this.writer = writer;
    }

    /** Opens the temporary output file of {@code job}, a single-file job with time-range shards. */
    static OrderedAppend open(ShardCollector collector, JobOrder job, Executor blocking)
    {
        requireNonNull(collector, "collector is null");
        requireNonNull(job, "job is null");
        requireNonNull(blocking, "blocking is null");
        Schema schema = new JoinPlan(job.spec(), InputTable.open(job.left()), InputTable.open(job.right())).output().schema();
        AtomicOutput out = new AtomicOutput(Paths.get(job.output()));
        try {
            return new OrderedAppend(collector, job, blocking, schema, out, ParquetSink.concatenation(out.temporary(), schema, job.resources().rowGroupBytes()));
        }
        catch (IOException | RuntimeException e) {
            out.close();
            throw TidemarkException.fatal("-o " + job.output() + ": cannot write " + out.temporary() + ": " + e.getMessage());
        }
    }

    /** The file being written (named in the errors of pieces encoded for it). */
    Path temporary()
    {
        return out.temporary();
    }

    /** The schema of the file's rows: what a piece is encoded with. */
    Schema schema()
    {
        return schema;
    }

    /**
     * One piece of {@code attempt}, encoded and closed ({@link ParquetSink#staged}): written when
     * the attempt has committed and the shards before it are in the file; dropped if it does not
     * commit, or at once when the file is closed already. So that encoded pieces held in memory
     * stay bounded, a piece of a shard as many shards past the file's end as the job has worker
     * slots waits (the shard at the end never does, so the file always moves on).
     */
    synchronized void stage(AttemptId attempt, int piece, ParquetSink encoded)
    {
        requireNonNull(attempt, "attempt is null");
        requireNonNull(encoded, "encoded is null");
        int ahead = Math.max(1, job.resources().workers());
        try {
            while (!closed && !ended && failure == null && attempt.shard().bucket() - next >= ahead) {
                wait();
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TidemarkException(FailureKind.TRANSIENT, "interrupted", e);
        }
        if (!closed && !ended) {
            staged.computeIfAbsent(attempt, a -> new TreeMap<>()).put(piece, encoded);
        }
    }

    /** A shard committed: append the committed shards that now follow the file's end, in the background. */
    void committed()
    {
        blocking.execute(this::drain);
    }

    /** {@code attempt} committed its shard: its staged pieces are the shard's rows. */
    void committed(AttemptId attempt)
    {
        synchronized (this) {
            winners.put(attempt.shard().bucket(), attempt);
        }
        committed();
    }

    /** {@code attempt} may not commit: its staged pieces go. */
    synchronized void refused(AttemptId attempt)
    {
        staged.remove(attempt);
    }

    /** Appends every committed shard from {@link #next} on; stops at the first that is not committed yet. */
    private synchronized void drain()
    {
        if (closed || ended || failure != null) {
            return;
        }
        try {
            while (next < job.buckets() && ready(next)) {
                appendShard(collector.committedDir(job.id(), new ShardId(next, 0)));
                AttemptId winner = winners.remove(next);
                for (ParquetSink piece : winner == null ? List.<ParquetSink>of() : piecesOf(winner)) {
                    piece.writeStaged(writer);
                    rows += piece.rows();
                }
                next++;
                notifyAll();
            }
        }
        catch (IOException | RuntimeException e) {
            failure = e;
            notifyAll();
        }
    }

    /**
     * Whether shard {@code bucket} is committed: its attempt said so ({@link #committed(AttemptId)}),
     * or its folder is in place and it handed nothing over (its pieces came as part files, or it
     * committed before this file was opened).
     */
    private boolean ready(int bucket)
    {
        if (winners.containsKey(bucket)) {
            return true;
        }
        boolean handedOver = staged.keySet().stream().anyMatch(a -> a.shard().bucket() == bucket);
        return !handedOver && Files.isDirectory(collector.committedDir(job.id(), new ShardId(bucket, 0)));
    }

    private List<ParquetSink> piecesOf(AttemptId winner)
    {
        TreeMap<Integer, ParquetSink> pieces = staged.remove(winner);
        staged.keySet().removeIf(a -> a.shard().equals(winner.shard()));   // a losing attempt's, if any
        return pieces == null ? List.of() : new ArrayList<>(pieces.values());
    }

    private void appendShard(Path dir)
            throws IOException
    {
        for (Path part : OutputPublisher.files(dir, ".parquet")) {
            long partRows = OutputPublisher.partRows(part);
            if (partRows > 0) {
                ParquetSink.append(writer, part, out.temporary());
            }
            SpillDir.deleteTree(part);
            rows += partRows;
        }
    }

    /** Appends what is left (every shard must be committed), ends the file and publishes it; returns its rows. */
    synchronized long finish()
    {
        drain();
        if (failure != null) {
            throw TidemarkException.fatal("cannot write " + out.target() + ": " + failure.getMessage());
        }
        if (next != job.buckets()) {
            throw TidemarkException.fatal("committed shard folder " + collector.committedDir(job.id(), new ShardId(next, 0)) + " is missing");
        }
        try {
            writer.end(ParquetSink.metadata(schema));
            ended = true;
        }
        catch (IOException e) {
            throw TidemarkException.fatal("cannot finish " + out.target() + ": " + e.getMessage());
        }
        out.publish();
        return rows;
    }

    /** Drops the temporary file unless it was published. */
    @Override
    public synchronized void close()
    {
        if (closed) {
            return;
        }
        closed = true;
        staged.clear();
        winners.clear();
        notifyAll();
        if (!ended) {
            try {
                writer.close();
            }
            catch (IOException | RuntimeException ignored) {
                // the file is deleted next
            }
        }
        out.close();
    }
}
