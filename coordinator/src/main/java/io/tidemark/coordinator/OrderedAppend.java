package io.tidemark.coordinator;

import io.tidemark.engine.io.InputTable;
import io.tidemark.engine.io.ParquetSink;
import io.tidemark.engine.output.AtomicOutput;
import io.tidemark.engine.partition.SpillDir;
import io.tidemark.engine.plan.JoinPlan;
import io.tidemark.protocol.ShardId;
import io.tidemark.protocol.TidemarkException;
import io.tidemark.protocol.cluster.JobOrder;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.parquet.hadoop.ParquetFileWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.Executor;

import static java.util.Objects.requireNonNull;

/**
 * The single output file of a time-range job (one-sort plan), written while the job runs: each
 * shard is a consecutive stretch of the output, so as soon as shards 0..k are committed their part
 * files' row groups are appended to the file in (shard, piece) order, on the blocking executor, and
 * deleted. The publish appends whatever is left, writes the footer and renames the file into place.
 * A job that fails closes it: the temporary file goes.
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

    /** A shard committed: append the committed shards that now follow the file's end, in the background. */
    void committed()
    {
        blocking.execute(this::drain);
    }

    /** Appends every committed shard from {@link #next} on; stops at the first that is not committed yet. */
    private synchronized void drain()
    {
        if (closed || ended || failure != null) {
            return;
        }
        try {
            while (next < job.buckets() && Files.isDirectory(collector.committedDir(job.id(), new ShardId(next, 0)))) {
                appendShard(collector.committedDir(job.id(), new ShardId(next, 0)));
                next++;
            }
        }
        catch (IOException | RuntimeException e) {
            failure = e;
        }
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
