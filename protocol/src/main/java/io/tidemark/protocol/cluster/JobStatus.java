package io.tidemark.protocol.cluster;

import io.tidemark.protocol.ClusterMessage;
import io.tidemark.protocol.JobId;

import static java.util.Objects.requireNonNull;

/**
 * A job's progress as a client sees it: the same counters as an embedded run, plus task counts.
 * {@code state} is QUEUED, MAPPING, JOINING, WRITING, DONE, FAILED or UNKNOWN.
 */
public record JobStatus(JobId job, String state, long leftRows, long rightRows, long rowsRead, long rowsSorted, long rowsJoined,
        long rowsOut, long rowsMatched, long rowsWritten, int mapsDone, int mapsTotal, int shardsCommitted, int shardsTotal,
        long spilledBytes, int retries, int workers, long elapsedMillis, String error)
        implements ClusterMessage
{
    public JobStatus
    {
        requireNonNull(job, "job is null");
        requireNonNull(state, "state is null");
    }

    public boolean finished()
    {
        return state.equals("DONE") || state.equals("FAILED") || state.equals("UNKNOWN");
    }
}
