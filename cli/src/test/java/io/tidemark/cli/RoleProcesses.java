package io.tidemark.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The processes a test starts from a private copy of {@code bin/tidemark}: each runs in one folder
 * (also its TMPDIR) and writes stdout and stderr to {@code logs/NAME.log}. Keeps every process
 * started, so {@link #killAll()} can end them even from a shutdown hook, and the peak RSS of those
 * it was asked to measure.
 */
final class RoleProcesses
{
    private final Path launcher;
    private final Path folder;
    private final Path logs;
    /** Every process started, for the cleanup; guarded by itself, as a shutdown hook reads it. */
    private final List<Process> started = new ArrayList<>();
    private final Map<Process, Long> launchedAt = new ConcurrentHashMap<>();
    /** Peak RSS (VmHWM, bytes) of each role process, as last read. */
    private final Map<String, Long> peaks = new LinkedHashMap<>();

    /**
     * Processes run in {@code folder} from a copy of the launcher in {@code folder/tidemark} (see
     * {@link #copyLauncher}), logging to {@code folder/logs}.
     */
    static RoleProcesses in(Path folder)
            throws IOException
    {
        return new RoleProcesses(copyLauncher(folder.resolve("tidemark")), folder, Files.createDirectories(folder.resolve("logs")));
    }

    RoleProcesses(Path launcher, Path folder, Path logs)
    {
        this.launcher = requireNonNull(launcher, "launcher is null");
        this.folder = requireNonNull(folder, "folder is null");
        this.logs = requireNonNull(logs, "logs is null");
    }

    /** The folder of the logs. */
    Path logs()
    {
        return logs;
    }

    /** The log of the process started as {@code name}. */
    Path log(String name)
    {
        return logs.resolve(name + ".log");
    }

    /** Runs the launcher with {@code args}; stdout and stderr go to logs/NAME.log. */
    Process launch(String name, String... args)
            throws IOException
    {
        return launch(name, Map.of(), args);
    }

    /** As above, with {@code environment} added to the process's environment. */
    Process launch(String name, Map<String, String> environment, String... args)
            throws IOException
    {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true)
                .redirectOutput(log(name).toFile());
        builder.environment().put("TMPDIR", folder.toString());
        builder.environment().putAll(environment);
        Process p = builder.start();
        launchedAt.put(p, System.nanoTime());
        synchronized (started) {
            started.add(p);
        }
        return p;
    }

    /** Seconds since {@link #launch} started {@code p}. */
    double secondsSinceLaunch(Process p)
    {
        return (System.nanoTime() - launchedAt.get(p)) / 1e9;
    }

    /** Kills every process started, and their descendants, and waits up to 10 s for each. */
    void killAll()
    {
        List<Process> all;
        synchronized (started) {
            all = new ArrayList<>(started);
        }
        for (Process p : all) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();   // SIGKILL ends a stopped process too
        }
        for (Process p : all) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Reads VmHWM of the process (bin/tidemark execs java, so this is the JVM) into {@link #peaks()} as {@code name}. */
    void readPeak(String name, Process p)
    {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc", Long.toString(p.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    peaks.put(name, Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
                }
            }
        }
        catch (IOException e) {
            // exited meanwhile: keep the last reading
        }
    }

    /** The last peak RSS read of each process, in bytes, by name. */
    Map<String, Long> peaks()
    {
        return Collections.unmodifiableMap(peaks);
    }

    String describePeaks()
    {
        StringBuilder s = new StringBuilder();
        peaks.forEach((name, bytes) -> s.append(s.length() == 0 ? "" : ", ").append(name).append(' ').append(mib(bytes)));
        return s.toString();
    }

    /** Copies the logs to {@code kept} (under target), where they outlive the temporary folder. */
    void keepLogs(Path kept)
    {
        try (Stream<Path> files = Files.list(logs)) {
            Files.createDirectories(kept);
            for (Path log : files.toList()) {
                Files.copy(log, kept.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        catch (IOException e) {
            System.err.println("cannot keep the logs: " + e);
        }
    }

    /** The exit value of {@code p}; fails, killing it, if it still runs after {@code seconds}. */
    static int exit(Process p, long seconds)
            throws InterruptedException
    {
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("still running after " + seconds + " s: " + p.info().commandLine().orElse("?"));
        }
        return p.exitValue();
    }

    /** Sends {@code SIGNAL} (a name such as STOP or CONT) to {@code p} with kill(1). */
    static void signal(String signal, Process p)
            throws Exception
    {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start().waitFor());
    }

    /**
     * Copies bin/tidemark and the shaded jar into {@code root}, laid out as the launcher expects;
     * returns the launcher. Running a private copy means a rebuild of {@code cli/target} while a test
     * runs cannot pull classes from under the running JVMs.
     */
    static Path copyLauncher(Path root)
            throws IOException
    {
        Path jar;
        try (Stream<Path> files = Files.list(Paths.get("target"))) {
            jar = files.filter(p -> p.getFileName().toString().matches("tidemark-cli-.*-all\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no shaded jar in cli/target: run mvn package first"));
        }
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("cli/target"));
        Files.copy(jar, root.resolve("cli/target").resolve(jar.getFileName()));
        Path bin = root.resolve("bin/tidemark");
        Files.copy(Paths.get("..", "bin", "tidemark"), bin, StandardCopyOption.COPY_ATTRIBUTES);
        return bin;
    }

    static boolean canBind(String host)
    {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return true;
        }
        catch (IOException e) {
            return false;
        }
    }

    /** A port free on {@code host} right now (another process may take it before it is used). */
    static int freePort(String host)
            throws IOException
    {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return s.getLocalPort();
        }
    }

    static String mib(long bytes)
    {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }
}
