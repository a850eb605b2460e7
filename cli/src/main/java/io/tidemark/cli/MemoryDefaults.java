package io.tidemark.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** The default {@code --memory}: half of the cgroup limit, or of physical memory when there is none. */
final class MemoryDefaults
{
    private MemoryDefaults() {}

    static long defaultBudget()
    {
        String fromLauncher = System.getProperty("tidemark.memory");
        if (fromLauncher != null) {
            return Long.parseLong(fromLauncher);
        }
        long limit = cgroupLimit();
        if (limit <= 0) {
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            limit = os.getTotalMemorySize();
        }
        return limit / 2;
    }

    private static long cgroupLimit()
    {
        for (String file : new String[] {"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}) {
            try {
                String text = Files.readString(Path.of(file)).trim();
                if (!text.equals("max")) {
                    long value = Long.parseLong(text);
                    if (value > 0 && value < (1L << 60)) {
                        return value;
                    }
                }
            }
            catch (IOException | NumberFormatException ignored) {
                // no such cgroup file here: try the next, then physical memory
            }
        }
        return -1;
    }

    /** Peak resident set size of this process, as the OS counts it (VmHWM), or -1. */
    static long peakRss()
    {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        }
        catch (IOException | NumberFormatException ignored) {
            // not Linux: no figure
        }
        return -1;
    }
}
