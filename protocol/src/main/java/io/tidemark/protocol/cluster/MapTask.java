package io.tidemark.protocol.cluster;

import io.tidemark.protocol.ClusterMessage;

import static java.util.Objects.requireNonNull;

/**
 * Partition some row groups of one input side into the job's hash buckets. {@code files[i]} and
 * {@code rowGroups[i]} name one row group (file index in the side's sorted file list).
 */
public record MapTask(JobOrder job, int index, int attempt, boolean left, int[] files, int[] rowGroups)
        implements ClusterMessage
{
    public MapTask
    {
        requireNonNull(job, "job is null");
        requireNonNull(files, "files is null");
        requireNonNull(rowGroups, "rowGroups is null");
        if (files.length != rowGroups.length) {
            throw new IllegalArgumentException("files and rowGroups differ in length");
        }
    }

    public MapTask withAttempt(JobOrder order, int next)
    {
        return new MapTask(order, index, next, left, files, rowGroups);
    }
}
