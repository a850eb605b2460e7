package io.tidemark.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressTest
{
    @Test
    void aJobWhoseRowsAreNotKnownYetShowsNoProgress()
    {
        String frame = progress(new Counts(0, 0, 0, 0, false)).render();
        assertFalse(frame.contains("100%"), frame);
        assertTrue(frame.contains("read [............]   0%") && frame.contains("join [............]   0%"), frame);
    }

    @Test
    void anEmptyInputIsDoneOnceTheJobWrites()
    {
        String frame = progress(new Counts(0, 0, 0, 0, true)).render();
        assertTrue(frame.contains("read [############] 100%") && frame.contains("join [############] 100%"), frame);
    }

    @Test
    void phasesCountTheirRows()
    {
        String frame = progress(new Counts(80, 20, 50, 40, false)).render();
        assertTrue(frame.contains("read [######......]  50%") && frame.contains("join [######......]  50%"), frame);
    }

    private static Progress progress(Counts counts)
    {
        return new Progress(counts, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), true);
    }

    private record Counts(long leftRows, long rightRows, long read, long joined, boolean writing)
            implements Progress.View
    {
        @Override
        public long sorted()
        {
            return read;
        }

        @Override
        public long out()
        {
            return joined;
        }

        @Override
        public long written()
        {
            return 0;
        }

        @Override
        public boolean singleFile()
        {
            return true;
        }
    }
}
