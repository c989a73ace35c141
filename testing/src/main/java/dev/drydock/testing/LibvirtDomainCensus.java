package dev.drydock.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * libvirt's own count of the domains whose names start with a prefix (running or only defined),
 * taken with {@code virsh list --all --name} every {@code periodMillis}, independently of the code
 * under test: the most there were at once, and for each owner resource named in a domain's
 * {@code <metadata>} ({@code virsh dumpxml}, read once per name: the libvirt-host blueprint writes it
 * at define time only) every domain name seen for it. One listing per sample (libvirt's
 * list-all-domains call), so a domain that starts or stops meanwhile is never counted twice.
 */
public final class LibvirtDomainCensus implements AutoCloseable {
    /** The resource id in the libvirt-host blueprint's {@code <drydock:resource ... resource='N'/>} metadata. */
    private static final Pattern OWNER = Pattern.compile("<\\w+:resource\\b[^>]*\\sresource=['\"](\\d+)['\"]");
    private final String prefix;
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    private final Map<String, Set<String>> namesByOwner = new LinkedHashMap<>();
    /** Names whose metadata was read, with or without an owner in it. */
    private final Set<String> read = new LinkedHashSet<>();
    private final List<String> errors = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private int mostAtOnce;
    private int samples;

    private LibvirtDomainCensus(String prefix) {
        this.prefix = prefix;
    }

    /** Starts sampling the domains named {@code prefix...}. */
    public static LibvirtDomainCensus start(String prefix, long periodMillis) {
        LibvirtDomainCensus census = new LibvirtDomainCensus(prefix);
        census.sampler.scheduleWithFixedDelay(census::sample, 0, periodMillis, TimeUnit.MILLISECONDS);
        return census;
    }

    private void sample() {
        Virsh.Result listing = Virsh.run("list", "--all", "--name");
        if (!listing.succeeded()) {
            synchronized (this) {
                errors.add(listing.output());
            }
            return;
        }
        List<String> names = Virsh.firstColumn(listing.output(), prefix);
        Map<String, String> owners = new LinkedHashMap<>();
        for (String name : names) {
            if (!isRead(name)) {
                Virsh.Result xml = Virsh.run("dumpxml", name);
                if (xml.succeeded()) { // else undefined meanwhile: read again if it comes back
                    Matcher m = OWNER.matcher(xml.output());
                    owners.put(name, m.find() ? m.group(1) : "");
                }
            }
        }
        synchronized (this) {
            samples++;
            mostAtOnce = Math.max(mostAtOnce, names.size());
            owners.forEach((name, owner) -> {
                read.add(name);
                if (!owner.isEmpty()) {
                    namesByOwner.computeIfAbsent(owner, o -> new LinkedHashSet<>()).add(name);
                }
            });
        }
    }

    private synchronized boolean isRead(String name) {
        return read.contains(name);
    }

    /**
     * How many times libvirt started a domain named {@code prefix...}, as its per-domain QEMU logs
     * ({@code /var/log/libvirt/qemu/NAME.log}, one "starting up" line per start) say: a start whose
     * step died with its process is counted too, where the code under test logged nothing.
     */
    public static long starts(String prefix) {
        try (Stream<Path> logs = Files.list(LibvirtEnvironment.QEMU_LOG_DIR)) {
            long starts = 0;
            for (Path log : logs.filter(p -> p.getFileName().toString().startsWith(prefix) && p.toString().endsWith(".log")).toList()) {
                try (Stream<String> lines = Files.lines(log)) {
                    starts += lines.filter(line -> line.contains(": starting up ")).count();
                }
            }
            return starts;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read libvirt's QEMU logs in " + LibvirtEnvironment.QEMU_LOG_DIR, e);
        }
    }

    /** The most domains with the prefix that one listing held. */
    public synchronized int mostAtOnce() {
        return mostAtOnce;
    }

    /** Listings taken; a census with none saw nothing. */
    public synchronized int samples() {
        return samples;
    }

    /** For each owner resource id read from a domain's metadata, every domain name seen with it. */
    public synchronized Map<String, Set<String>> namesByOwner() {
        Map<String, Set<String>> copy = new LinkedHashMap<>();
        namesByOwner.forEach((owner, names) -> copy.put(owner, Set.copyOf(names)));
        return copy;
    }

    /** Listings that failed, with libvirt's message. */
    public synchronized List<String> errors() {
        return List.copyOf(errors);
    }

    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        sampler.shutdownNow();
        try {
            sampler.awaitTermination(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
