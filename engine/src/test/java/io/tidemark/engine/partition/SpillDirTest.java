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
    void aFolderOnFirstUseIsMadeOnlyWhenAFileGoesInAndGoesOnClose()
            throws IOException
    {
        try (SpillDir unused = SpillDir.onFirstUse(temp, "unused")) {
            assertThat(temp).isEmptyDirectory();
        }
        assertThat(temp).isEmptyDirectory();
        Path folder;
        try (SpillDir used = SpillDir.onFirstUse(temp.resolve("nested"), "used")) {
            assertThat(temp).isEmptyDirectory();
            Path file = used.file("x");
            folder = used.path();
            assertThat(file.getParent()).isEqualTo(folder);
            assertThat(folder).isDirectory().isEmptyDirectory();
            Files.writeString(file, "x");
        }
        assertThat(folder).doesNotExist();
    }

    @Test
    void filesDeletedSoonAreGoneOnceTheFolderClosesAndTheCallerDoesNotWait()
            throws IOException
    {
        Path folder;
        java.util.List<Path> files = new java.util.ArrayList<>();
        try (SpillDir dir = new SpillDir(temp, "t")) {
            folder = dir.path();
            for (int i = 0; i < 200; i++) {
                Path sub = Files.createDirectories(dir.file("piece-" + i));
                Files.write(sub.resolve("data"), new byte[4096]);
                files.add(sub);
            }
            files.forEach(dir::deleteSoon);
            files.forEach(dir::deleteSoon);   // twice: the second finds nothing, and says nothing
        }
        assertThat(files).allSatisfy(f -> assertThat(f).doesNotExist());
        assertThat(folder).doesNotExist();
    }

    @Test
    void aTreeDeletedWhileAnotherDeletionRunsIsRemovedWhole()
            throws Exception
    {
        Path tree = Files.createDirectories(temp.resolve("tree"));
        for (int i = 0; i < 2_000; i++) {
            Files.write(tree.resolve("f" + i), new byte[16]);
        }
        java.util.concurrent.CompletableFuture<Void> other = java.util.concurrent.CompletableFuture.runAsync(() -> {
            for (int i = 1_999; i >= 0; i--) {
                try {
                    Files.deleteIfExists(tree.resolve("f" + i));
                }
                catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        SpillDir.deleteTree(tree);
        other.get();
        assertThat(tree).doesNotExist();
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
