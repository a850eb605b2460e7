package io.tidemark.engine.output;

import io.tidemark.protocol.TidemarkException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/** The {@code _SUCCESS} manifest of a dataset directory: every file with its rows, bytes and SHA-256. */
public final class Manifest
{
    public record Entry(String file, long rows, long bytes, String sha256) {}

    private Manifest() {}

    public static Entry entry(Path file, long rows)
    {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                }
            }
            return new Entry(file.getFileName().toString(), rows, Files.size(file), HexFormat.of().formatHex(digest.digest()));
        }
        catch (IOException | NoSuchAlgorithmException e) {
            throw TidemarkException.fatal("cannot checksum " + file + ": " + e.getMessage());
        }
    }

    public static void write(Path dir, List<Entry> entries)
    {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(Entry::file));
        StringBuilder json = new StringBuilder("{\n  \"files\": [\n");
        long rows = 0;
        for (int i = 0; i < sorted.size(); i++) {
            Entry e = sorted.get(i);
            rows += e.rows();
            json.append(String.format("    {\"file\": \"%s\", \"rows\": %d, \"bytes\": %d, \"sha256\": \"%s\"}%s%n",
                    e.file(), e.rows(), e.bytes(), e.sha256(), i + 1 < sorted.size() ? "," : ""));
        }
        json.append("  ],\n  \"rows\": ").append(rows).append("\n}\n");
        try {
            Files.writeString(dir.resolve("_SUCCESS"), json);
        }
        catch (IOException e) {
            throw TidemarkException.fatal("cannot write " + dir.resolve("_SUCCESS") + ": " + e.getMessage());
        }
    }
}
