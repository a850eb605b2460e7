package io.tidemark.coordinator;

import io.tidemark.engine.io.KeyIdColumn;
import io.tidemark.engine.io.ParquetSink;
import io.tidemark.engine.partition.SpillDir;
import io.tidemark.engine.shard.ShardSink;
import io.tidemark.protocol.AttemptId;
import io.tidemark.protocol.EndedJobs;
import io.tidemark.protocol.Epoch;
import io.tidemark.protocol.JobId;
import io.tidemark.protocol.ShardId;
import io.tidemark.protocol.TidemarkException;
import io.tidemark.protocol.cluster.CommitDecision;
import io.tidemark.protocol.cluster.JobOrder;
import io.tidemark.protocol.cluster.PiecePath;
import io.tidemark.protocol.cluster.ShardStats;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Receives shard output and commits each shard exactly once. Every attempt writes its pieces into
 * its own folder ({@code DATA/JOB/_attempts/b00003-a1/}): row-group-bounded Parquet part files for a
 * dataset output, or Arrow runs sorted by (on key, left ordinal), one per output range, for the
 * single-file merge. Pieces arrive over Flight DoPut, or straight from a worker in this JVM. When the
 * attempt has shipped everything it asks the {@link CommitGate}; the first current attempt renames
 * its folder to {@code DATA/JOB/committed/b00003}, any other attempt's folder is deleted.
 */
public final class ShardCollector
{
    private final Path dataDir;
    private final CommitGate gate;
    private final long rowGroupBytes;
    private final int rowGroupRows;
    /** Commits between "asked the coordinator" and "folder moved", per job: a publish waits for them. */
    private final Map<JobId, Integer> inFlight = new HashMap<>();
    /** Jobs published or abandoned here (the latest ones): late pieces for them are refused. */
    private final EndedJobs ended = new EndedJobs();
    /** Single output files of time-range jobs, appended to as their shards commit. */
    private final Map<JobId, OrderedAppend> appends = new HashMap<>();

    public ShardCollector(Path dataDir, CommitGate gate, long rowGroupBytes, int rowGroupRows)
    {
        this.dataDir = requireNonNull(dataDir, "dataDir is null");
        this.gate = requireNonNull(gate, "gate is null");
        this.rowGroupBytes = rowGroupBytes;
        this.rowGroupRows = rowGroupRows;
    }

    public Path dataDir()
    {
        return dataDir;
    }

    /** The descriptor one stream of an attempt is put under. */
    public static FlightDescriptor descriptor(PiecePath piece)
    {
        return FlightDescriptor.path(piece.segments().toArray(new String[0]));
    }

    /** Writes one DoPut stream into its attempt folder; returns the rows received. */
    public long receive(FlightStream stream, BufferAllocator allocator)
            throws IOException
    {
        try (PieceFile file = open(PiecePath.parse(stream.getDescriptor().getPath()), stream.getSchema(), allocator)) {
            while (stream.next()) {
                file.write(stream.getRoot());
            }
            return file.rows();
        }
    }

    /**
     * Opens one stream of an attempt's output (a run of one output range, or a part file) for
     * writing into the attempt's folder: what a DoPut stream is written through, and what a worker
     * in this JVM writes to directly. Refused once the job is published or abandoned.
     */
    public PieceFile open(PiecePath piece, Schema shipped, BufferAllocator allocator)
            throws IOException
    {
        Path dir = attemptDir(piece.job(), piece.attempt());
        open(piece.job(), dir);
        return new PieceFile(dir.resolve(piece.fileName()), piece.run(), shipped, allocator, rowGroupBytes, rowGroupRows);
    }

    /**
     * Opens one stream of an attempt's output handed over by a worker in this JVM: as {@link #open},
     * except that a part of a single-file time-range job is kept encoded in memory and written to
     * the output file when its attempt commits ({@link OrderedAppend#stage}), not through a part file.
     */
    public ShardSink hand(PiecePath piece, Schema shipped, BufferAllocator allocator)
            throws IOException
    {
        OrderedAppend append = piece.run() ? null : append(piece.job());
        if (append == null) {
            return open(piece, shipped, allocator);
        }
        open(piece.job(), attemptDir(piece.job(), piece.attempt()));   // the folder the commit moves, as for part files
        ParquetSink encoded = ParquetSink.staged(append.temporary(), append.schema(), rowGroupBytes, rowGroupRows);
        return new ShardSink()
        {
            @Override
            public void write(VectorSchemaRoot batch)
            {
                encoded.write(batch);
            }

            @Override
            public void close()
            {
                encoded.close();
                append.stage(piece.attempt(), piece.piece(), encoded);
            }
        };
    }

    /** Asks whether the attempt may commit; on yes, moves its folder into place (idempotent for the winner). */
    public CommitDecision commit(JobId job, AttemptId attempt, Epoch epoch, ShardStats stats)
            throws IOException
    {
        Path dir = attemptDir(job, attempt);
        begin(job);   // before asking: the coordinator may order the publish as soon as it answers
        try {
            return commitAsked(job, attempt, epoch, stats, dir);
        }
        finally {
            end(job);
        }
    }

    private CommitDecision commitAsked(JobId job, AttemptId attempt, Epoch epoch, ShardStats stats, Path dir)
            throws IOException
    {
        CommitDecision decision = gate.request(job, attempt, epoch, stats);
        if (decision == CommitDecision.COMMIT) {
            Path target = committedDir(job, attempt.shard());
            if (Files.exists(dir)) {
                Files.createDirectories(target.getParent());
                SpillDir.deleteTree(target);
                Files.move(dir, target, StandardCopyOption.ATOMIC_MOVE);
            }
            else if (!Files.exists(target)) {
                Files.createDirectories(target);   // an empty shard ships no piece
            }
            OrderedAppend append = append(job);
            if (append != null) {
                append.committed(attempt);
            }
        }
        else {
            SpillDir.deleteTree(dir);
            OrderedAppend append = append(job);
            if (append != null) {
                append.refused(attempt);
            }
        }
        return decision;
    }

    /** Waits until no commit of {@code job} is between its decision and its rename, at most {@code millis}. */
    public synchronized void awaitCommits(JobId job, long millis)
    {
        long deadline = System.currentTimeMillis() + millis;
        while (inFlight.getOrDefault(job, 0) > 0) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new TidemarkException(io.tidemark.protocol.FailureKind.TRANSIENT, "shard commits of " + job + " did not finish within "
                        + millis / 1000 + " s");
            }
            try {
                wait(left);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TidemarkException(io.tidemark.protocol.FailureKind.TRANSIENT, "interrupted", e);
            }
        }
    }

    private synchronized void begin(JobId job)
    {
        inFlight.merge(job, 1, Integer::sum);
    }

    private synchronized void end(JobId job)
    {
        inFlight.merge(job, -1, Integer::sum);
        if (inFlight.get(job) <= 0) {
            inFlight.remove(job);
        }
        notifyAll();
    }

    public Path committedDir(JobId job, ShardId shard)
    {
        return jobDir(job).resolve("committed").resolve(String.format("b%05d", shard.bucket()));
    }

    public Path jobDir(JobId job)
    {
        Path dir = dataDir.resolve(job.value()).normalize();
        if (!dir.startsWith(dataDir.normalize())) {
            throw TidemarkException.fatal("bad job id " + job);
        }
        return dir;
    }

    public void abandon(JobId job)
    {
        OrderedAppend append;
        synchronized (this) {
            ended.add(job);
            append = appends.remove(job);
        }
        if (append != null) {
            append.close();
        }
        SpillDir.deleteTree(jobDir(job));
    }

    /**
     * A single-file job with time-range shards begins: its output file is written as its shards
     * commit ({@link OrderedAppend}), not all at the publish. Ignored for a job that is over.
     */
    public void expect(JobOrder job, Executor blocking)
    {
        synchronized (this) {
            if (ended.contains(job.id()) || appends.containsKey(job.id())) {
                return;
            }
        }
        OrderedAppend append = OrderedAppend.open(this, job, blocking);
        synchronized (this) {
            if (!ended.contains(job.id()) && appends.putIfAbsent(job.id(), append) == null) {
                append = null;
            }
        }
        if (append != null) {
            append.close();   // ended meanwhile, or expected twice
        }
        else {
            append(job.id()).committed();   // shards committed before this message came
        }
    }

    /** The output file of a time-range job, opened now if its start was not announced (the publish appends every shard then). */
    OrderedAppend orderedAppend(JobOrder job, Executor blocking)
    {
        expect(job, blocking);
        OrderedAppend append = append(job.id());
        if (append == null) {
            throw TidemarkException.fatal(job.id() + " is over: its output is published or abandoned");
        }
        return append;
    }

    private synchronized OrderedAppend append(JobId job)
    {
        return appends.get(job);
    }

    /** Creates an attempt's folder, unless its job is over (a late attempt, say a resumed worker's, would leave it behind). */
    private synchronized void open(JobId job, Path dir)
            throws IOException
    {
        if (ended.contains(job)) {
            throw new IOException(job + " is over: its output is published or abandoned");
        }
        Files.createDirectories(dir);
    }

    private Path attemptDir(JobId job, AttemptId attempt)
    {
        return jobDir(job).resolve("_attempts").resolve(String.format("b%05d-a%d", attempt.shard().bucket(), attempt.number()));
    }

    /** Shard batches carry key ids, the left on key and ordinal last for the single-file merge; part files hold the output columns. */
    static Schema outputSchema(Schema shipped)
    {
        return new Schema(shipped.getFields().stream()
                .filter(f -> !f.getName().equals("__on") && !f.getName().equals("__ord") && !f.getName().equals(KeyIdColumn.NAME))
                .collect(Collectors.<Field>toList()));
    }
}
