package io.tidemark.engine.partition;

import io.tidemark.protocol.TidemarkException;

import java.util.Locale;

/** Byte sizes as users write them ("1g", "512m", "64k", "1073741824") and as we print them. */
public final class Bytes
{
    private Bytes() {}

    public static long parse(String text, String option)
    {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("ib") || t.endsWith("b")) {
            t = t.substring(0, t.length() - (t.endsWith("ib") ? 2 : 1));
        }
        long scale = 1;
        if (!t.isEmpty()) {
            char unit = t.charAt(t.length() - 1);
            int shift = "kmgt".indexOf(unit);
            if (shift >= 0) {
                scale = 1L << (10 * (shift + 1));
                t = t.substring(0, t.length() - 1);
            }
        }
        try {
            double value = Double.parseDouble(t);
            if (value < 0 || Double.isNaN(value)) {
                throw new NumberFormatException();
            }
            return (long) (value * scale);
        }
        catch (NumberFormatException e) {
            throw TidemarkException.fatal(option + " " + text + ": not a size (use e.g. 512m, 1g, 64k)");
        }
    }

    public static String format(long bytes)
    {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
