package io.tidemark.engine.partition;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpillDirTest
{
    @TempDir
    Path temp;

    @Test
    void refusesToStartWhenTheDiskCannotHoldTheSpill()
    {
        try (SpillDir dir = new SpillDir(temp, "t")) {
            dir.require(1 << 20, "spilling both inputs");
            assertThatThrownBy(() -> dir.require(Long.MAX_VALUE / 2, "spilling both inputs"))
                    .hasMessageContaining("--spill-dir " + temp)
                    .hasMessageContaining("free but spilling both inputs needs about");
        }
    }

    @Test
    void aFullDiskIsReportedAsSuchAndTheFolderIsRemoved()
            throws IOException
    {
        Path folder;
        try (SpillDir dir = new SpillDir(temp, "t")) {
            folder = dir.path();
            Files.writeString(dir.file("x"), "x");
            assertThat(dir.writeFailed(dir.file("x"), new IOException("No space left on device")).getMessage())
                    .contains("is full").contains("x");
        }
        assertThat(folder).doesNotExist();
    }

    @Test
    void sizesParseAsUsersWriteThem()
    {
        assertThat(Bytes.parse("1g", "--memory")).isEqualTo(1L << 30);
        assertThat(Bytes.parse("512M", "--memory")).isEqualTo(512L << 20);
        assertThat(Bytes.parse("1.5GiB", "--memory")).isEqualTo(3L << 29);
        assertThat(Bytes.parse("4096", "--memory")).isEqualTo(4096);
        assertThatThrownBy(() -> Bytes.parse("lots", "--memory")).hasMessageContaining("--memory lots");
    }
}
