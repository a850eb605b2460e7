package io.tidemark.protocol.cluster;

import io.tidemark.protocol.AttemptId;
import io.tidemark.protocol.Epoch;
import io.tidemark.protocol.JobId;
import io.tidemark.protocol.ShardId;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Names one stream of a shard attempt's output: one output range of one piece. It is the Flight
 * descriptor path a worker puts the stream under, {@code piece/JOB/BUCKET/ATTEMPT/EPOCH/PIECE/RANGE/run|part},
 * and what a worker in the collector's own JVM hands its batches over with. {@code run}: an Arrow run
 * for the single-file merge (one per output range); otherwise a Parquet part file (range 0).
 */
public record PiecePath(JobId job, AttemptId attempt, Epoch epoch, int piece, int range, boolean run)
{
    public PiecePath
    {
        requireNonNull(job, "job is null");
        requireNonNull(attempt, "attempt is null");
        requireNonNull(epoch, "epoch is null");
        if (piece < 0 || range < 0) {
            throw new IllegalArgumentException("piece and range must not be negative: " + piece + ", " + range);
        }
    }

    public List<String> segments()
    {
        return List.of("piece", job.value(), Integer.toString(attempt.shard().bucket()), Integer.toString(attempt.number()),
                Long.toString(epoch.value()), Integer.toString(piece), Integer.toString(range), run ? "run" : "part");
    }

    /** The file the collector writes this stream to, inside the attempt's folder. */
    public String fileName()
    {
        return run ? String.format("piece-%04d-r%03d.arrows", piece, range) : String.format("piece-%04d.parquet", piece);
    }

    public static PiecePath parse(List<String> path)
    {
        if (path.size() != 8 || !path.get(0).equals("piece") || !(path.get(7).equals("run") || path.get(7).equals("part"))) {
            throw new IllegalArgumentException("not a piece descriptor: " + path);
        }
        return new PiecePath(new JobId(path.get(1)), new AttemptId(new ShardId(Integer.parseInt(path.get(2)), 0), Integer.parseInt(path.get(3))),
                new Epoch(Long.parseLong(path.get(4))), Integer.parseInt(path.get(5)), Integer.parseInt(path.get(6)), path.get(7).equals("run"));
    }

    /** The output range of a run file named by {@link #fileName()}. */
    public static int rangeOf(String runFileName)
    {
        int r = runFileName.lastIndexOf("-r");
        int dot = runFileName.lastIndexOf('.');
        if (r < 0 || dot < r) {
            throw new IllegalArgumentException("not a run file name: " + runFileName);
        }
        return Integer.parseInt(runFileName.substring(r + 2, dot));
    }
}
