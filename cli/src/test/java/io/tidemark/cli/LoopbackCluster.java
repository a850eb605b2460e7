package io.tidemark.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.tidemark.cli.ClusterLogs.read;
import static io.tidemark.cli.ClusterLogs.tail;
import static io.tidemark.cli.RoleProcesses.freePort;
import static java.util.Objects.requireNonNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A cluster of role processes on loopback addresses and free ports: a coordinator (no collector) on
 * 127.0.0.1, a collector on 127.0.0.5 and one-slot workers on 127.0.0.2, .3, .4. A worker that is
 * lost is replaced by one on the next free address, so a worker id (worker@host:flight) is never
 * reused and the coordinator's log tells each worker apart.
 */
final class LoopbackCluster
{
    /** One role process: its name, cluster host, Flight port (workers: its id is worker@host:flight) and log. */
    record Node(String name, String host, int flight, Process process, Path log)
    {
        Node
        {
            requireNonNull(name, "name is null");
            requireNonNull(host, "host is null");
            requireNonNull(process, "process is null");
            requireNonNull(log, "log is null");
        }

        String workerId()
        {
            return "worker@" + host + ":" + flight;
        }
    }

    private final RoleProcesses processes;
    private final Path folder;
    private final int size;
    private final String workerMemory;
    /** Added to each worker's environment. */
    private final Map<String, String> workerEnvironment;
    private final int clusterPort;
    private final int flightPort;
    private final List<Node> workers = new ArrayList<>();
    private Node coordinator;
    private Node collector;
    private int nextWorkerIp = 2;

    /**
     * Starts the coordinator, the collector (its data in {@code folder/collector}) and {@code size}
     * workers (spilling to {@code folder/spill-N}); returns without waiting for them to form the
     * cluster, see {@link #awaitFormed()}.
     */
    static LoopbackCluster start(RoleProcesses processes, Path folder, int size, String workerMemory, Map<String, String> workerEnvironment)
            throws IOException
    {
        LoopbackCluster cluster = new LoopbackCluster(processes, folder, size, workerMemory, workerEnvironment);
        cluster.startRoles();
        return cluster;
    }

    private LoopbackCluster(RoleProcesses processes, Path folder, int size, String workerMemory, Map<String, String> workerEnvironment)
            throws IOException
    {
        this.processes = requireNonNull(processes, "processes is null");
        this.folder = requireNonNull(folder, "folder is null");
        this.size = size;
        this.workerMemory = requireNonNull(workerMemory, "workerMemory is null");
        this.workerEnvironment = Map.copyOf(requireNonNull(workerEnvironment, "workerEnvironment is null"));
        this.clusterPort = freePort("127.0.0.1");
        this.flightPort = freePort("127.0.0.1");
    }

    private void startRoles()
            throws IOException
    {
        coordinator = start("coordinator", "127.0.0.1", flightPort, Map.of(), "coordinator", "--host", "127.0.0.1", "--port",
                Integer.toString(clusterPort), "--flight-port", Integer.toString(flightPort), "--no-collector", "--memory", "512m");
        int collectorFlight = freePort("127.0.0.5");
        collector = start("collector", "127.0.0.5", collectorFlight, Map.of(), "collector", "--join", "127.0.0.1:" + clusterPort, "--host",
                "127.0.0.5", "--flight-port", Integer.toString(collectorFlight), "--data-dir", collectorData().toString(),
                "--memory", "512m");
        addWorkers();
    }

    Node coordinator()
    {
        return coordinator;
    }

    Node collector()
    {
        return collector;
    }

    /** The workers started and not yet found dead by {@link #replaceLostWorkers()}. */
    List<Node> workers()
    {
        return List.copyOf(workers);
    }

    /** The coordinator, the collector and the workers. */
    List<Node> nodes()
    {
        List<Node> all = new ArrayList<>();
        if (coordinator != null) {
            all.add(coordinator);
        }
        if (collector != null) {
            all.add(collector);
        }
        all.addAll(workers);
        return all;
    }

    /** Where a client submits jobs: the coordinator's Flight gateway. */
    String gateway()
    {
        return "127.0.0.1:" + flightPort;
    }

    /** Drops the workers whose process ended and starts new ones in their place. */
    void replaceLostWorkers()
            throws IOException
    {
        workers.removeIf(w -> !w.process().isAlive());
        addWorkers();
    }

    /** Waits until the coordinator has heard from the collector and from every live worker. */
    void awaitFormed()
            throws Exception
    {
        long deadline = System.currentTimeMillis() + 90_000;
        while (true) {
            String log = read(coordinator.log());
            List<Node> missing = workers.stream().filter(w -> !log.contains("worker " + w.workerId() + " joined")).toList();
            if (missing.isEmpty() && log.contains("collector at 127.0.0.5:" + collector.flight())) {
                return;
            }
            for (Node n : nodes()) {
                assertTrue(n.process().isAlive(), () -> n.name() + " exited while the cluster formed:\n" + tail(n.log(), 30));
            }
            if (System.currentTimeMillis() > deadline) {
                fail("the cluster did not form in 90 s; not joined: " + missing + "\n" + ClusterLogs.tails(processes.logs()));
            }
            Thread.sleep(200);
        }
    }

    /** What the collector's data folder holds for {@code job}, relative to it. */
    List<String> collectorFiles(String job)
    {
        Path data = collectorData();
        Path dir = data.resolve(job);
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(dir)) {
            return all.map(p -> data.relativize(p).toString()).sorted().toList();
        }
        catch (IOException | UncheckedIOException e) {
            return List.of("(cannot list: " + e + ")");
        }
    }

    private Path collectorData()
    {
        return folder.resolve("collector");
    }

    private void addWorkers()
            throws IOException
    {
        while (workers.size() < size) {
            int ip = nextWorkerIp++;
            if (ip == 5) {
                ip = nextWorkerIp++;   // the collector's
            }
            String host = "127.0.0." + ip;
            int flight = freePort(host);
            Path spill = Files.createDirectories(folder.resolve("spill-" + ip));
            workers.add(start("worker-" + ip, host, flight, workerEnvironment, "worker", "--join", "127.0.0.1:" + clusterPort, "--host",
                    host, "--flight-port", Integer.toString(flight), "--memory", workerMemory, "--workers", "1",
                    "--spill-dir", spill.toString()));
        }
    }

    private Node start(String name, String host, int flight, Map<String, String> environment, String... args)
            throws IOException
    {
        return new Node(name, host, flight, processes.launch(name, environment, args), processes.log(name));
    }
}
