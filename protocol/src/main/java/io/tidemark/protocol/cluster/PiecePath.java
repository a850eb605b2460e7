package io.tidemark.protocol.cluster;

import io.tidemark.protocol.AttemptId;
import io.tidemark.protocol.Epoch;
import io.tidemark.protocol.JobId;
import io.tidemark.protocol.ShardId;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The Flight descriptor path one piece of a shard attempt is put under, written by the worker and
 * parsed by the collector: {@code piece/JOB/BUCKET/ATTEMPT/EPOCH/PIECE/run|part}. {@code run}: an
 * Arrow run for the single-file merge; otherwise a Parquet part file.
 */
public record PiecePath(JobId job, AttemptId attempt, Epoch epoch, int piece, boolean run)
{
    public PiecePath
    {
        requireNonNull(job, "job is null");
        requireNonNull(attempt, "attempt is null");
        requireNonNull(epoch, "epoch is null");
    }

    public List<String> segments()
    {
        return List.of("piece", job.value(), Integer.toString(attempt.shard().bucket()), Integer.toString(attempt.number()),
                Long.toString(epoch.value()), Integer.toString(piece), run ? "run" : "part");
    }

    public static PiecePath parse(List<String> path)
    {
        if (path.size() != 7 || !path.get(0).equals("piece") || !(path.get(6).equals("run") || path.get(6).equals("part"))) {
            throw new IllegalArgumentException("not a piece descriptor: " + path);
        }
        return new PiecePath(new JobId(path.get(1)), new AttemptId(new ShardId(Integer.parseInt(path.get(2)), 0), Integer.parseInt(path.get(3))),
                new Epoch(Long.parseLong(path.get(4))), Integer.parseInt(path.get(5)), path.get(6).equals("run"));
    }
}
