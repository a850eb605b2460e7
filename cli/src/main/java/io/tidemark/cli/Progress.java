package io.tidemark.cli;

import io.tidemark.engine.JoinJob;
import io.tidemark.engine.shard.JoinCounters;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Per-phase progress of a join on standard error: bars redrawn in place on a terminal, a plain line
 * every few seconds otherwise (logs, CI).
 */
final class Progress
{
    /** What the bars show; read from another thread while the join runs. */
    interface View
    {
        long leftRows();

        long rightRows();

        long read();

        long sorted();

        long joined();

        long out();

        long written();

        boolean writing();

        boolean singleFile();
    }

    private final View job;
    private final PrintStream err;
    private final boolean tty;
    private final Thread thread;
    private volatile boolean running = true;

    Progress(View job, PrintStream err, boolean tty)
    {
        this.job = job;
        this.err = err;
        this.tty = tty;
        this.thread = new Thread(this::loop, "tidemark-progress");
        thread.setDaemon(true);
    }

    static Progress start(JoinJob job, PrintStream err)
    {
        JoinCounters c = job.counters();
        return start(new View()
        {
            public long leftRows() { return job.leftRows(); }
            public long rightRows() { return job.rightRows(); }
            public long read() { return c.rowsRead.sum(); }
            public long sorted() { return c.rowsSorted.sum(); }
            public long joined() { return c.rowsJoined.sum(); }
            public long out() { return c.rowsOut.sum(); }
            public long written() { return c.rowsWritten.sum(); }
            public boolean writing() { return job.phase() == JoinJob.Phase.WRITE || job.phase() == JoinJob.Phase.DONE; }
            public boolean singleFile() { return job.singleFile(); }
        }, err);
    }

    static Progress start(View job, PrintStream err)
    {
        boolean tty = "1".equals(System.getProperty("tidemark.tty")) || (System.getProperty("tidemark.tty") == null && System.console() != null);
        Progress p = new Progress(job, err, tty);
        p.thread.start();
        return p;
    }

    void stop()
    {
        running = false;
        thread.interrupt();
        try {
            thread.join(1000);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (tty) {
            err.print("\r" + render() + "\n");
            err.flush();
        }
    }

    private void loop()
    {
        long period = tty ? 250 : 5000;
        while (running) {
            try {
                Thread.sleep(period);
            }
            catch (InterruptedException e) {
                return;
            }
            if (!running) {
                return;
            }
            err.print(tty ? "\r" + render() : "tidemark: " + render() + "\n");
            err.flush();
        }
    }

    /**
     * The bars of one frame. Until the job's row counts are known (a submitted job's first status
     * says 0 rows) a phase with nothing to count shows 0%, and 100% once the job writes (an empty input).
     */
    String render()
    {
        long in = job.leftRows() + job.rightRows();
        long out = Math.max(job.out(), 1);
        boolean writing = job.writing();
        return bar("read", job.read(), in, writing)
                + "  " + bar("sort", job.sorted(), in, writing)
                + "  " + bar("join", job.joined(), job.leftRows(), writing)
                + "  " + bar("write", job.written(), writing || !job.singleFile() ? out : Long.MAX_VALUE, writing);
    }

    private String bar(String name, long done, long total, boolean writing)
    {
        double f = total <= 0 ? (writing ? 1 : 0) : Math.min(1, (double) done / total);
        if (!tty) {
            return String.format(Locale.ROOT, "%s %3.0f%%", name, 100 * f);
        }
        int width = 12;
        int filled = (int) Math.round(f * width);
        return String.format(Locale.ROOT, "%s [%s%s] %3.0f%%", name, "#".repeat(filled), ".".repeat(width - filled), 100 * f);
    }
}
