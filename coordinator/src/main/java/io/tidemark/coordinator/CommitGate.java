package io.tidemark.coordinator;

import io.tidemark.protocol.AttemptId;
import io.tidemark.protocol.Epoch;
import io.tidemark.protocol.JobId;
import io.tidemark.protocol.cluster.CommitDecision;
import io.tidemark.protocol.cluster.ShardStats;

/** Asks the commit authority (the coordinator) whether an attempt may commit; blocks, with a deadline. */
public interface CommitGate
{
    CommitDecision request(JobId job, AttemptId attempt, Epoch epoch, ShardStats stats);
}
