package io.tidemark.engine.plan;

import io.tidemark.protocol.TidemarkException;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * An inclusive distance bound between a left key and its match, in normalized key units. Temporal
 * keys take a unit ("250ms", "30s", "5m", "2h", "1d"); numeric keys take a number. Negative
 * tolerances are refused, as pandas does.
 */
public final class Tolerance
{
    private static final long DAY_NANOS = 86_400_000_000_000L;
    private static final String[] UNITS = {"ns", "us", "ms", "s", "min", "m", "h", "d"};
    private static final long[] NANOS = {1L, 1_000L, 1_000_000L, 1_000_000_000L, 60_000_000_000L, 60_000_000_000L, 3_600_000_000_000L, DAY_NANOS};

    private final boolean floating;
    private final long units;
    private final double value;

    private Tolerance(boolean floating, long units, double value)
    {
        this.floating = floating;
        this.units = units;
        this.value = value;
    }

    /** Null text means no tolerance (null result). */
    public static Tolerance parse(String text, OnKey key, String column)
    {
        if (text == null) {
            return null;
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("-")) {
            throw TidemarkException.fatal("--tolerance " + text + ": tolerance must be positive or zero");
        }
        switch (key.domain()) {
            case TEMPORAL:
            case DATE: {
                long nanos = temporalNanos(text, t, column);
                long perUnit = key.domain() == OnKey.Domain.DATE ? DAY_NANOS : 1_000_000_000L / OnKey.perSecond(key.unit());
                return new Tolerance(false, nanos / perUnit, 0);   // keys are whole units: flooring is exact
            }
            case INTEGER:
                try {
                    return new Tolerance(false, new BigDecimal(t).setScale(0, RoundingMode.UNNECESSARY).longValueExact(), 0);
                }
                catch (ArithmeticException | NumberFormatException e) {
                    throw TidemarkException.fatal("--tolerance " + text + ": the integer on key " + column + " needs a whole number");
                }
            case FLOATING:
                try {
                    return new Tolerance(true, 0, Double.parseDouble(t));
                }
                catch (NumberFormatException e) {
                    throw TidemarkException.fatal("--tolerance " + text + ": the float on key " + column + " needs a number");
                }
        }
        throw new AssertionError(key.domain());
    }

    private static long temporalNanos(String text, String t, String column)
    {
        for (int u = 0; u < UNITS.length; u++) {
            String unit = UNITS[u];
            if (t.endsWith(unit) && !(unit.equals("s") && (t.endsWith("ns") || t.endsWith("us") || t.endsWith("ms")))) {
                String number = t.substring(0, t.length() - unit.length()).trim();
                try {
                    return new BigDecimal(number).multiply(BigDecimal.valueOf(NANOS[u])).setScale(0, RoundingMode.FLOOR).longValueExact();
                }
                catch (ArithmeticException | NumberFormatException e) {
                    break;
                }
            }
        }
        throw TidemarkException.fatal("--tolerance " + text + ": the temporal on key " + column
                + " needs a duration such as 250ms, 30s, 5m, 2h or 1d");
    }

    /** Whether two normalized keys are within the tolerance of each other. */
    public boolean within(long a, long b)
    {
        if (floating) {
            return Math.abs(OnKey.unsortable(a) - OnKey.unsortable(b)) <= value;
        }
        long hi = Math.max(a, b);
        long lo = Math.min(a, b);
        long diff = hi - lo;
        return diff >= 0 && diff <= units;   // a negative diff overflowed: farther than any tolerance
    }
}
