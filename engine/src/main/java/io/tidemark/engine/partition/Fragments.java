package io.tidemark.engine.partition;

import io.tidemark.engine.plan.Hashing;

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
    private static final int SAMPLE = 512;

    private final List<Path> files = new ArrayList<>();
    private final long[] varBytes;
    private final KeySketch keys = new KeySketch();
    private long rows;
    private long bytes;
    private long[] sample = new long[16];
    private long[] priorities = new long[16];
    private int sampled;

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

    /**
     * Offers one row to the sample of on keys. Bottom-k sampling: the sample is the {@link #SAMPLE}
     * rows whose ordinal hashes lowest, so it depends on the rows alone, not on which thread saw
     * which of them or in what order; cuts and pieces derived from it are the same in every run.
     */
    public void sample(long key, long ordinal)
    {
        offer(Hashing.mix(ordinal), key);
    }

    /** One routed row: its on key for the sample, its by-key hash towards {@link #distinctKeys}. */
    public void row(long key, long ordinal, long keyHash)
    {
        sample(key, ordinal);
        keys.add(keyHash);
    }

    /** One routed row whose by key nobody counts (a time range's): its on key for the sample. */
    public void row(long key, long ordinal)
    {
        sample(key, ordinal);
    }

    /** About how many distinct by keys these rows hold (exact below 64); 0 when nobody counted them. */
    public long distinctKeys()
    {
        return keys.distinct();
    }

    private void offer(long priority, long key)
    {
        if (sampled < SAMPLE) {
            if (sampled == sample.length) {
                sample = Arrays.copyOf(sample, Math.min(SAMPLE, sampled * 2));
                priorities = Arrays.copyOf(priorities, sample.length);
            }
            int i = sampled++;
            while (i > 0 && priorities[(i - 1) / 2] < priority) {   // max-heap on priority: the root is the first to go
                priorities[i] = priorities[(i - 1) / 2];
                sample[i] = sample[(i - 1) / 2];
                i = (i - 1) / 2;
            }
            priorities[i] = priority;
            sample[i] = key;
            return;
        }
        if (priority >= priorities[0]) {
            return;
        }
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= sampled) {
                break;
            }
            if (child + 1 < sampled && priorities[child + 1] > priorities[child]) {
                child++;
            }
            if (priorities[child] <= priority) {
                break;
            }
            priorities[i] = priorities[child];
            sample[i] = sample[child];
            i = child;
        }
        priorities[i] = priority;
        sample[i] = key;
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
            offer(other.priorities[i], other.sample[i]);
        }
        keys.merge(other.keys);
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

    /** The sampled on keys, ascending. */
    public long[] sample()
    {
        long[] keys = Arrays.copyOf(sample, sampled);
        Arrays.sort(keys);
        return keys;
    }
}
