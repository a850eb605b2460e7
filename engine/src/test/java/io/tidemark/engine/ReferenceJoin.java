package io.tidemark.engine;

import io.tidemark.engine.RandomTables.Row;
import io.tidemark.protocol.Direction;
import io.tidemark.protocol.How;
import io.tidemark.protocol.NullKeys;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The obviously correct join, by brute force: for every left row look at every right row. The
 * rules are written out as the contract states them (C1-C8), independently of the engine's code.
 */
final class ReferenceJoin
{
    private ReferenceJoin() {}

    /** Output pairs {left id, right id or -1}, in output order (on key, left input order; NULL keys last). */
    static List<long[]> asof(List<Row> left, List<Row> right, int byColumns, Direction direction, boolean allowExact,
            Long tolerance, How how, NullKeys nullKeys)
    {
        List<long[]> out = new ArrayList<>();
        for (Row l : sorted(left)) {
            Row best = null;
            if (l.ts() != null) {
                Row back = null;
                Row fwd = null;
                for (Row r : right) {
                    if (r.ts() == null || !sameKey(l, r, byColumns, nullKeys)) {
                        continue;
                    }
                    boolean before = allowExact ? r.ts() <= l.ts() : r.ts() < l.ts();
                    boolean after = allowExact ? r.ts() >= l.ts() : r.ts() > l.ts();
                    if (before && (back == null || r.ts() > back.ts() || (r.ts().equals(back.ts()) && r.ordinal() > back.ordinal()))) {
                        back = r;
                    }
                    if (after && (fwd == null || r.ts() < fwd.ts() || (r.ts().equals(fwd.ts()) && r.ordinal() < fwd.ordinal()))) {
                        fwd = r;
                    }
                }
                switch (direction) {
                    case BACKWARD:
                        best = back;
                        break;
                    case FORWARD:
                        best = fwd;
                        break;
                    case NEAREST:
                        best = back == null ? fwd : fwd == null ? back : (fwd.ts() - l.ts() < l.ts() - back.ts() ? fwd : back);
                        break;
                }
                if (best != null && tolerance != null && Math.abs(best.ts() - l.ts()) > tolerance) {
                    best = null;
                }
            }
            if (best != null || how == How.LEFT) {
                out.add(new long[] {l.id(), best == null ? -1 : best.id()});
            }
        }
        return out;
    }

    static List<long[]> exact(List<Row> left, List<Row> right, int byColumns, How how, NullKeys nullKeys)
    {
        List<long[]> out = new ArrayList<>();
        for (Row l : sorted(left)) {
            boolean any = false;
            if (l.ts() != null) {
                for (Row r : right) {
                    if (r.ts() != null && r.ts().equals(l.ts()) && sameKey(l, r, byColumns, nullKeys)) {
                        out.add(new long[] {l.id(), r.id()});
                        any = true;
                    }
                }
            }
            if (!any && how == How.LEFT) {
                out.add(new long[] {l.id(), -1});
            }
        }
        return out;
    }

    private static List<Row> sorted(List<Row> rows)
    {
        List<Row> s = new ArrayList<>(rows);
        s.sort(Comparator.comparing(Row::ts, Comparator.nullsLast(Comparator.naturalOrder())).thenComparingLong(Row::ordinal));
        return s;
    }

    private static boolean sameKey(Row l, Row r, int byColumns, NullKeys nullKeys)
    {
        if (byColumns >= 1 && !equal(l.k(), r.k(), nullKeys)) {
            return false;
        }
        return byColumns < 2 || equal(l.k2(), r.k2(), nullKeys);
    }

    private static boolean equal(Object a, Object b, NullKeys nullKeys)
    {
        if (a == null || b == null) {
            return a == null && b == null && nullKeys == NullKeys.MATCH;
        }
        return Objects.equals(a, b);
    }
}
