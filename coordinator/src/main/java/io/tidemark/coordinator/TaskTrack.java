package io.tidemark.coordinator;

import io.tidemark.protocol.WorkerId;
import io.tidemark.protocol.cluster.FlightAddress;
import io.tidemark.protocol.cluster.FragmentRef;

import java.util.List;

/**
 * The coordinator's record of one task (a map task or a shard): whether it waits, runs or is done,
 * which attempt is current, and where it runs. Only the current attempt's reports count.
 */
final class TaskTrack
{
    enum Status { PENDING, RUNNING, DONE }

    Status status = Status.PENDING;
    /** Attempts issued so far; the current attempt is {@code attempts - 1}. */
    int attempts;
    WorkerId worker;
    int slot;
    FlightAddress at;
    long deadlineMillis;
    String lastError;
    /** Map tasks: the fragments and rows of the finished attempt. */
    List<FragmentRef> fragments = List.of();
    long rows;
    long spilled;

    int current()
    {
        return attempts - 1;
    }

    boolean isCurrent(int attempt)
    {
        return attempt == attempts - 1;
    }

    boolean runsOn(WorkerId w)
    {
        return status == Status.RUNNING && w.equals(worker);
    }

    void start(WorkerId w, int s, FlightAddress where, long deadline)
    {
        status = Status.RUNNING;
        attempts++;
        worker = w;
        slot = s;
        at = where;
        deadlineMillis = deadline;
    }

    void reset(String error)
    {
        status = Status.PENDING;
        lastError = error;
        fragments = List.of();
        rows = 0;
        spilled = 0;
    }

    static boolean allDone(TaskTrack[] tracks)
    {
        for (TaskTrack t : tracks) {
            if (t.status != Status.DONE) {
                return false;
            }
        }
        return true;
    }

    static TaskTrack[] array(int n)
    {
        TaskTrack[] t = new TaskTrack[n];
        for (int i = 0; i < n; i++) {
            t[i] = new TaskTrack();
        }
        return t;
    }
}
