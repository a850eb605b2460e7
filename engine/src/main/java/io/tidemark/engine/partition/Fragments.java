package io.tidemark.engine.partition;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What one bucket of one side holds on disk: its spill files, rows, bytes and the variable-width
 * bytes of each column (to size vectors exactly when loading), plus a sample of its on keys (to cut
 * an oversized bucket into time pieces). Filled by one thread, merged after the partition phase.
 */
public final class Fragments
{
    private static final int SAMPLE = 1024;

    private final List<Path> files = new ArrayList<>();
    private final long[] varBytes;
    private long rows;
    private long bytes;
    private long[] sample = new long[16];
    private int sampled;
    private long seen;
    private long random = 0x2545F4914F6CDD1DL;

    public Fragments(int columns)
    {
        this.varBytes = new long[columns];
    }

    public void addFile(Path file)
    {
        files.add(file);
    }

    public void addBatch(int batchRows, long batchBytes, long[] batchVarBytes)
    {
        rows += batchRows;
        bytes += batchBytes;
        for (int i = 0; i < varBytes.length; i++) {
            varBytes[i] += batchVarBytes[i];
        }
    }

    /** Reservoir sampling, with a fixed-seed generator so a run is repeatable. */
    public void sample(long key)
    {
        seen++;
        if (sampled < SAMPLE) {
            if (sampled == sample.length) {
                sample = Arrays.copyOf(sample, Math.min(SAMPLE, sampled * 2));
            }
            sample[sampled++] = key;
            return;
        }
        random ^= random << 13;
        random ^= random >>> 7;
        random ^= random << 17;
        long slot = Long.remainderUnsigned(random, seen);
        if (slot < SAMPLE) {
            sample[(int) slot] = key;
        }
    }

    public void merge(Fragments other)
    {
        files.addAll(other.files);
        rows += other.rows;
        bytes += other.bytes;
        for (int i = 0; i < varBytes.length; i++) {
            varBytes[i] += other.varBytes[i];
        }
        for (int i = 0; i < other.sampled; i++) {
            sample(other.sample[i]);
        }
    }

    public List<Path> files()
    {
        return files;
    }

    public long rows()
    {
        return rows;
    }

    public long bytes()
    {
        return bytes;
    }

    public long varBytes(int column)
    {
        return varBytes[column];
    }

    public long[] sample()
    {
        return Arrays.copyOf(sample, sampled);
    }
}
