package io.tidemark.engine.shard;

import io.tidemark.engine.kernel.KeySlots;
import io.tidemark.engine.plan.JoinPlan;
import io.tidemark.engine.plan.KeyColumns;
import io.tidemark.engine.plan.Side;
import io.tidemark.engine.plan.SpillLayout;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The prevailing right row of every by key seen so far, while time ranges are joined in on-key
 * order: before a range is joined, {@link #lookup} copies out the rows its left keys need; after,
 * {@link #update} replaces each key's row by the range's last one. Rows live in generations (one
 * copied batch per update, held rows); a key points at its newest row, and when dead rows
 * outnumber live ones by {@link #SLACK} the live rows are compacted into one generation, so the
 * store holds at most about (1 + SLACK) times the live rows' bytes. Rows are held without the
 * columns spill files leave out ({@link SpillLayout#held}: the hash, kept in the table, and the on
 * column, the on key's copy); loading a piece makes them again for the carried rows too.
 */
final class CarryStore
        implements AutoCloseable
{
    static final double SLACK = 0.5;
    /** Hash table (a hash and an id per slot, four slots per key just after it doubles) and per-key arrays (twice their use). */
    static final int HEAP_BYTES_PER_KEY = 4 * 12 + 2 * 8;
    private static final int MAX_GENERATIONS = 256;

    private final JoinPlan plan;
    private final HeldRows held;
    private final List<Generation> generations = new ArrayList<>();
    private final KeySlots table = new KeySlots();
    private int[] genOf = new int[256];
    private int[] rowOf = new int[256];
    private long rows;

    CarryStore(JoinPlan plan, BufferAllocator allocator)
    {
        this.plan = requireNonNull(plan, "plan is null");
        this.held = new HeldRows(plan.spillLayout(Side.RIGHT), allocator);
    }

    private static final class Generation
    {
        final VectorSchemaRoot root;
        final KeyColumns keys;
        int live;

        Generation(VectorSchemaRoot root, KeyColumns keys)
        {
            this.root = root;
            this.keys = keys;
        }
    }

    /**
     * The carried rows of the keys of {@code keyRows} of {@code left} (rows with distinct keys), as one
     * batch the caller closes, with the index in {@code keyRows} of each row's key.
     */
    CarriedRows lookup(ShardData left, int[] keyRows)
    {
        CarriedRows carried = lookup(left, keyRows, false);
        return carried != null ? carried : lookup(left, keyRows, true);
    }

    /**
     * Unless {@code probeKeys}, each key is found by its hash alone and the carried rows, once gathered
     * (store order, so the sources are read in order), are compared with their left keys in one pass:
     * not one random read of the store's key bytes per probe. Null when a row's key differs (a 64-bit
     * collision); the caller then probes again comparing keys.
     */
    private CarriedRows lookup(ShardData left, int[] keyRows, boolean probeKeys)
    {
        KeyColumns leftKeys = new KeyColumns(left.root(), plan.spillByColumns(Side.LEFT));
        long[] hashes = left.longs(JoinPlan.HASH);
        int[] found = new int[Math.min(keyRows.length, table.size())];
        int[] from = new int[found.length];
        int n = 0;
        for (int i = 0; i < keyRows.length && n < found.length; i++) {
            int l = keyRows[i];
            int key = probeKeys ? find(hashes[l], leftKeys, l) : find(hashes[l]);
            if (key >= 0) {
                from[n] = i;
                found[n++] = key;
            }
        }
        int[] order = new int[n];
        VectorSchemaRoot root = copy(Arrays.copyOf(found, n), order, false);
        int[] keyIndex = new int[n];
        for (int j = 0; j < n; j++) {
            keyIndex[j] = from[order[j]];
        }
        if (!probeKeys) {
            KeyColumns carriedKeys = held.keys(root);
            for (int j = 0; j < n; j++) {
                if (!KeyColumns.equal(leftKeys, keyRows[keyIndex[j]], carriedKeys, j)) {
                    root.close();
                    return null;
                }
            }
        }
        return new CarriedRows(root, keyIndex);
    }

    /** Makes {@code picked} rows of {@code right} (at most one per key) the prevailing rows of their keys. */
    void update(ShardData right, int[] picked)
    {
        if (picked.length == 0) {
            return;
        }
        VectorSchemaRoot root = held.gather(List.of(right.root()), new int[][] {picked}, false);
        Generation g = new Generation(root, held.keys(root));
        int gen = generations.size();
        generations.add(g);
        rows += picked.length;
        ArrowBuf rightHash = right.root().getVector(JoinPlan.HASH).getDataBuffer();
        long[] hash = new long[picked.length];
        for (int i = 0; i < picked.length; i++) {
            hash[i] = rightHash.getLong(8L * picked[i]);
        }
        int[] stored = storedKeys(hash, g);
        for (int i = 0; i < picked.length; i++) {
            int key = stored[i];
            if (key < 0) {
                key = insert(hash[i]);
            }
            else {
                generations.get(genOf[key]).live--;
            }
            genOf[key] = gen;
            rowOf[key] = i;
            g.live++;
        }
        if (rows > (1 + SLACK) * table.size() + 1024 || generations.size() >= MAX_GENERATIONS) {
            compact();
        }
    }

    /**
     * The stored key of each of {@code g}'s rows, -1 for a key not stored yet; changes nothing. Keys
     * are found by hash alone and the candidates' bytes then compared in the order their rows are
     * stored (each generation read ascending), not one random read per probe; when one differs (a
     * 64-bit collision), every row is probed again comparing keys.
     */
    private int[] storedKeys(long[] hash, Generation g)
    {
        int n = hash.length;
        int[] key = new int[n];
        long[] where = new long[n];
        boolean packed = n < 1 << 24;   // else a row index does not fit its 24 bits: checked in row order
        int m = 0;
        for (int i = 0; i < n; i++) {
            key[i] = find(hash[i]);
            if (key[i] >= 0) {
                where[m++] = packed ? ((long) genOf[key[i]] << 55) | ((long) rowOf[key[i]] << 24) | i : i;
            }
        }
        if (packed) {
            Arrays.sort(where, 0, m);
        }
        for (int j = 0; j < m; j++) {
            int i = (int) (packed ? where[j] & 0xFFFFFF : where[j]);
            Generation old = generations.get(genOf[key[i]]);
            if (!KeyColumns.equal(g.keys, i, old.keys, rowOf[key[i]])) {
                for (int r = 0; r < n; r++) {
                    key[r] = find(hash[r], g.keys, r);
                }
                return key;
            }
        }
        return key;
    }

    /** Copies every live row into one generation and drops the others. */
    private void compact()
    {
        int keys = table.size();
        int[] all = new int[keys];
        for (int k = 0; k < keys; k++) {
            all[k] = k;
        }
        int[] order = new int[keys];
        VectorSchemaRoot root = copy(all, order, true);
        generations.forEach(g -> g.root.close());
        generations.clear();
        Generation g = new Generation(root, held.keys(root));
        g.live = keys;
        generations.add(g);
        for (int i = 0; i < keys; i++) {
            genOf[all[order[i]]] = 0;
            rowOf[all[order[i]]] = i;
        }
        rows = keys;
    }

    /**
     * The rows of {@code keyList}, gathered generation by generation (ascending rows, so each source
     * is read in order) into one batch; {@code order} receives, per batch row, its key's index in {@code keyList}.
     */
    private VectorSchemaRoot copy(int[] keyList, int[] order, boolean release)
    {
        int[] counts = new int[generations.size()];
        for (int k : keyList) {
            counts[genOf[k]]++;
        }
        long[][] byGen = new long[counts.length][];
        for (int g = 0; g < counts.length; g++) {
            byGen[g] = new long[counts[g]];
        }
        int[] fill = new int[counts.length];
        for (int i = 0; i < keyList.length; i++) {
            int g = genOf[keyList[i]];
            byGen[g][fill[g]++] = ((long) rowOf[keyList[i]] << 32) | i;
        }
        int[][] rowLists = new int[counts.length][];
        int at = 0;
        for (int g = 0; g < counts.length; g++) {
            Arrays.sort(byGen[g]);
            rowLists[g] = new int[counts[g]];
            for (int i = 0; i < counts[g]; i++) {
                rowLists[g][i] = (int) (byGen[g][i] >>> 32);
                order[at++] = (int) byGen[g][i];
            }
        }
        List<VectorSchemaRoot> sources = new ArrayList<>();
        generations.forEach(g -> sources.add(g.root));
        return held.gather(sources, rowLists, release);
    }

    /** The first key with this hash, or -1: a candidate the caller checks. */
    private int find(long hash)
    {
        for (int slot = table.start(hash); ; slot = table.next(slot)) {
            int key = table.key(slot);
            if (key < 0 || table.hash(slot) == hash) {
                return key;
            }
        }
    }

    private int find(long hash, KeyColumns probe, int row)
    {
        for (int slot = table.start(hash); ; slot = table.next(slot)) {
            int key = table.key(slot);
            if (key < 0) {
                return -1;
            }
            if (table.hash(slot) == hash && KeyColumns.equal(probe, row, generations.get(genOf[key]).keys, rowOf[key])) {
                return key;
            }
        }
    }

    private int insert(long hash)
    {
        int key = table.add(hash);
        if (key == genOf.length) {
            genOf = Arrays.copyOf(genOf, key * 2);
            rowOf = Arrays.copyOf(rowOf, key * 2);
        }
        return key;
    }

    @Override
    public void close()
    {
        generations.forEach(g -> g.root.close());
        generations.clear();
    }
}
