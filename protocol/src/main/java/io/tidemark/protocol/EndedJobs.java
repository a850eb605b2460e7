package io.tidemark.protocol;

import java.util.LinkedHashSet;

import static java.util.Objects.requireNonNull;

/**
 * The latest jobs a process has seen end (published, abandoned, dropped): a late message or task
 * for one is refused instead of leaving files behind. Keeps the last {@link #KEPT}. Not thread-safe:
 * the owner guards it.
 */
public final class EndedJobs
{
    public static final int KEPT = 1024;

    private final LinkedHashSet<JobId> jobs = new LinkedHashSet<>();

    public void add(JobId job)
    {
        jobs.add(requireNonNull(job, "job is null"));
        if (jobs.size() > KEPT) {
            jobs.remove(jobs.iterator().next());
        }
    }

    public boolean contains(JobId job)
    {
        return jobs.contains(job);
    }
}
