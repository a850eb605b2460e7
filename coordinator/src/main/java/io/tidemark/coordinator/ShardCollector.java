package io.tidemark.coordinator;

import io.tidemark.engine.io.ParquetSink;
import io.tidemark.engine.partition.SpillDir;
import io.tidemark.protocol.AttemptId;
import io.tidemark.protocol.Epoch;
import io.tidemark.protocol.JobId;
import io.tidemark.protocol.ShardId;
import io.tidemark.protocol.TidemarkException;
import io.tidemark.protocol.cluster.CommitDecision;
import io.tidemark.protocol.cluster.PiecePath;
import io.tidemark.protocol.cluster.ShardStats;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Receives shard output and commits each shard exactly once. Every attempt writes its pieces into
 * its own folder ({@code DATA/JOB/_attempts/b00003-a1/}): row-group-bounded Parquet part files for a
 * dataset output, or Arrow runs sorted by (on key, left ordinal) for the single-file merge. When the
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
    private final Set<JobId> ended = Collections.newSetFromMap(new LinkedHashMap<>()
    {
        @Override
        protected boolean removeEldestEntry(Map.Entry<JobId, Boolean> eldest)
        {
            return size() > 1024;
        }
    });

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

    /** The descriptor one piece of an attempt is put under; {@code run}: an Arrow run for the single-file merge. */
    public static FlightDescriptor descriptor(JobId job, AttemptId attempt, Epoch epoch, int piece, boolean run)
    {
        return FlightDescriptor.path(new PiecePath(job, attempt, epoch, piece, run).segments().toArray(new String[0]));
    }

    /** Writes one piece stream into its attempt folder; returns the rows received. */
    public long receive(FlightStream stream)
            throws IOException
    {
        PiecePath key = PiecePath.parse(stream.getDescriptor().getPath());
        JobId job = key.job();
        AttemptId attempt = key.attempt();
        int piece = key.piece();
        boolean run = key.run();
        Path dir = attemptDir(job, attempt);
        open(job, dir);
        Path file = dir.resolve(String.format("piece-%04d.%s", piece, run ? "arrows" : "parquet"));
        long rows = 0;
        if (run) {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
                    ArrowStreamWriter writer = new ArrowStreamWriter(stream.getRoot(), null, out)) {
                writer.start();
                while (stream.next()) {
                    writer.writeBatch();
                    rows += stream.getRoot().getRowCount();
                }
                writer.end();
            }
        }
        else {
            try (ParquetSink sink = new ParquetSink(file, outputSchema(stream.getSchema()), rowGroupBytes, rowGroupRows)) {
                while (stream.next()) {
                    sink.write(stream.getRoot());
                }
                rows = sink.rows();
            }
            Files.writeString(dir.resolve(file.getFileName() + ".rows"), Long.toString(rows));
        }
        return rows;
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
        }
        else {
            SpillDir.deleteTree(dir);
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

    public synchronized void abandon(JobId job)
    {
        ended.add(job);
        SpillDir.deleteTree(jobDir(job));
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

    /** Shard batches carry the left on key and ordinal last for the single-file merge; part files hold the output columns. */
    static Schema outputSchema(Schema shipped)
    {
        return new Schema(shipped.getFields().stream()
                .filter(f -> !f.getName().equals("__on") && !f.getName().equals("__ord"))
                .collect(Collectors.<Field>toList()));
    }
}
