package io.tidemark.engine.io;

/** Legacy INT96 timestamps (Spark, Impala): nanoseconds of the day, then the Julian day, little-endian. */
final class Int96
{
    private static final long UNIX_EPOCH_JULIAN_DAY = 2_440_588;
    private static final long NANOS_PER_DAY = 86_400_000_000_000L;

    private Int96() {}

    static long nanos(long nanosOfDay, int julianDay)
    {
        return (julianDay - UNIX_EPOCH_JULIAN_DAY) * NANOS_PER_DAY + nanosOfDay;
    }

    static long nanos(byte[] twelve)
    {
        long nanosOfDay = 0;
        for (int i = 7; i >= 0; i--) {
            nanosOfDay = (nanosOfDay << 8) | (twelve[i] & 0xFF);
        }
        int day = 0;
        for (int i = 11; i >= 8; i--) {
            day = (day << 8) | (twelve[i] & 0xFF);
        }
        return nanos(nanosOfDay, day);
    }
}
