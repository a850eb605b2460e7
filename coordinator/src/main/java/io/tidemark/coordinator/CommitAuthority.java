package io.tidemark.coordinator;

import io.tidemark.protocol.AttemptId;
import io.tidemark.protocol.Epoch;
import io.tidemark.protocol.ShardId;

import java.util.HashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Decides which attempt of a shard may commit its output: the first attempt to ask, and only that
 * one (asking again is answered the same). Requests stamped with an older coordinator epoch are
 * refused, so a worker acting on orders of a coordinator that has since moved cannot commit.
 */
public final class CommitAuthority
{
    public enum Decision { COMMIT, REFUSED_TAKEN, REFUSED_STALE_EPOCH }

    private final Epoch epoch;
    private final Map<ShardId, AttemptId> committed = new HashMap<>();

    public CommitAuthority(Epoch epoch)
    {
        this.epoch = requireNonNull(epoch, "epoch is null");
    }

    public synchronized Decision request(AttemptId attempt, Epoch stamped)
    {
        requireNonNull(attempt, "attempt is null");
        requireNonNull(stamped, "stamped is null");
        if (epoch.isNewerThan(stamped)) {
            return Decision.REFUSED_STALE_EPOCH;
        }
        AttemptId winner = committed.putIfAbsent(attempt.shard(), attempt);
        return winner == null || winner.equals(attempt) ? Decision.COMMIT : Decision.REFUSED_TAKEN;
    }

    public synchronized int committedShards()
    {
        return committed.size();
    }
}
