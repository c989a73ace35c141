package dev.drydock.blueprint.libvirt;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A minimal ISO 9660 image writer: one root directory of a few small files, with a Joliet tree
 * beside the primary one. Primary names are the file names upper-cased with {@code .;1} appended
 * ({@code META-DATA.;1}), which Linux's {@code iso9660} driver shows as {@code meta-data}; Joliet
 * names are the exact names (UCS-2, no version suffix, as genisoimage writes them), which Linux,
 * BSD, libarchive, 7-Zip and Windows prefer when present. The volume
 * label is written in both descriptors, so {@code blkid} reports it either way. No dates are
 * recorded (all "not specified"), so the same files always give the same bytes.
 *
 * <p>Layout, in 2048-byte sectors: 0–15 empty, 16 primary descriptor, 17 Joliet descriptor, 18
 * terminator, 19–22 path tables (primary L and M, Joliet L and M), 23 primary root, 24 Joliet
 * root, 25 on the files' data, each file starting on its own sector.
 */
final class Iso9660 {
    static final int SECTOR = 2048;
    private static final int PRIMARY_ROOT = 23;
    private static final int JOLIET_ROOT = 24;
    private static final int FIRST_DATA = 25;
    private static final byte[] JOLIET_LEVEL_3 = {'%', '/', 'E'};

    private Iso9660() {}

    /**
     * The image of {@code files} (name to content), labelled {@code volumeId}.
     *
     * @throws IllegalArgumentException when a name is not 1–64 characters of letters, digits,
     *         {@code -} and {@code _}, the label is not 1–16 such characters, or the root directory
     *         would not fit in one sector
     */
    static byte[] image(String volumeId, Map<String, byte[]> files) {
        if (!volumeId.matches("[A-Za-z0-9_-]{1,16}")) {
            throw new IllegalArgumentException("volume label '" + volumeId + "' must be 1 to 16 letters, digits, '-' or '_'");
        }
        Map<String, byte[]> sorted = new TreeMap<>(files);
        List<Extent> extents = new ArrayList<>();
        int sector = FIRST_DATA;
        for (Map.Entry<String, byte[]> f : sorted.entrySet()) {
            if (!f.getKey().matches("[A-Za-z0-9_-]{1,64}")) {
                throw new IllegalArgumentException("file name '" + f.getKey() + "' must be 1 to 64 letters, digits, '-' or '_'");
            }
            extents.add(new Extent(f.getKey(), sector, f.getValue()));
            sector += sectors(f.getValue().length);
        }
        ByteBuffer image = ByteBuffer.allocate(sector * SECTOR);
        byte[] primaryRoot = directory(PRIMARY_ROOT, extents, false);
        byte[] jolietRoot = directory(JOLIET_ROOT, extents, true);
        descriptor(image, 16, volumeId, sector, 19, 20, PRIMARY_ROOT, false);
        descriptor(image, 17, volumeId, sector, 21, 22, JOLIET_ROOT, true);
        image.put(18 * SECTOR, new byte[] {(byte) 255, 'C', 'D', '0', '0', '1', 1});
        pathTable(image, 19, PRIMARY_ROOT, ByteOrder.LITTLE_ENDIAN);
        pathTable(image, 20, PRIMARY_ROOT, ByteOrder.BIG_ENDIAN);
        pathTable(image, 21, JOLIET_ROOT, ByteOrder.LITTLE_ENDIAN);
        pathTable(image, 22, JOLIET_ROOT, ByteOrder.BIG_ENDIAN);
        image.put(PRIMARY_ROOT * SECTOR, primaryRoot);
        image.put(JOLIET_ROOT * SECTOR, jolietRoot);
        for (Extent e : extents) {
            image.put(e.sector * SECTOR, e.content);
        }
        return image.array();
    }

    private record Extent(String name, int sector, byte[] content) {}

    private static int sectors(int bytes) {
        return Math.max(1, (bytes + SECTOR - 1) / SECTOR);
    }

    private static void descriptor(ByteBuffer image, int at, String volumeId, int totalSectors, int lTable, int mTable, int root,
                                   boolean joliet) {
        ByteBuffer d = image.slice(at * SECTOR, SECTOR);
        d.put(0, (byte) (joliet ? 2 : 1)).put(1, "CD001".getBytes(StandardCharsets.US_ASCII)).put(6, (byte) 1);
        text(d, 8, 32, "", joliet);
        text(d, 40, 32, volumeId, joliet);
        bothEndian32(d, 80, totalSectors);
        if (joliet) {
            d.put(88, JOLIET_LEVEL_3);
        }
        bothEndian16(d, 120, 1);
        bothEndian16(d, 124, 1);
        bothEndian16(d, 128, SECTOR);
        bothEndian32(d, 132, 10);
        d.order(ByteOrder.LITTLE_ENDIAN).putInt(140, lTable);
        d.order(ByteOrder.BIG_ENDIAN).putInt(148, mTable);
        d.put(156, record(root, SECTOR, true, new byte[] {0}));
        for (int[] field : new int[][] {{190, 128}, {318, 128}, {446, 128}, {574, 128}, {702, 37}, {739, 37}, {776, 37}}) {
            text(d, field[0], field[1], "", joliet);
        }
        for (int date = 813; date < 881; date += 17) {
            d.put(date, "0000000000000000".getBytes(StandardCharsets.US_ASCII)); // not specified; the 17th byte stays 0
        }
        d.put(881, (byte) 1);
    }

    private static byte[] directory(int self, List<Extent> extents, boolean joliet) {
        ByteBuffer dir = ByteBuffer.allocate(SECTOR);
        dir.put(record(self, SECTOR, true, new byte[] {0}));
        dir.put(record(self, SECTOR, true, new byte[] {1}));
        List<byte[][]> named = new ArrayList<>();
        for (Extent e : extents) {
            byte[] name = joliet ? e.name.getBytes(StandardCharsets.UTF_16BE)
                    : (e.name.toUpperCase(Locale.ROOT) + ".;1").getBytes(StandardCharsets.US_ASCII);
            named.add(new byte[][] {name, record(e.sector, e.content.length, false, name)});
        }
        named.sort(Comparator.comparing((byte[][] n) -> n[0], Arrays::compareUnsigned));
        for (byte[][] n : named) {
            if (dir.remaining() < n[1].length) {
                throw new IllegalArgumentException("too many files for a one-sector root directory");
            }
            dir.put(n[1]);
        }
        return dir.array();
    }

    /** A directory record: 33 bytes, the name, and a pad byte when the name's length is even. */
    private static byte[] record(int sector, int length, boolean directory, byte[] name) {
        int size = 33 + name.length + (name.length % 2 == 0 ? 1 : 0);
        ByteBuffer r = ByteBuffer.allocate(size);
        r.put(0, (byte) size);
        bothEndian32(r, 2, sector);
        bothEndian32(r, 10, length);
        r.put(25, (byte) (directory ? 2 : 0));
        bothEndian16(r, 28, 1);
        r.put(32, (byte) name.length);
        r.put(33, name);
        return r.array();
    }

    /** The path table of a volume with only its root: 10 bytes. */
    private static void pathTable(ByteBuffer image, int at, int root, ByteOrder order) {
        ByteBuffer t = image.slice(at * SECTOR, SECTOR).order(order);
        t.put(0, (byte) 1).putInt(2, root).putShort(6, (short) 1);
    }

    /** A space-padded text field; a Joliet one in UCS-2, whose odd last byte (in 37-byte fields) stays 0. */
    private static void text(ByteBuffer d, int at, int length, String value, boolean joliet) {
        int chars = joliet ? length / 2 : length;
        byte[] padded = (value + " ".repeat(chars - value.length()))
                .getBytes(joliet ? StandardCharsets.UTF_16BE : StandardCharsets.US_ASCII);
        d.put(at, padded);
    }

    private static void bothEndian32(ByteBuffer b, int at, int value) {
        b.order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
        b.order(ByteOrder.BIG_ENDIAN).putInt(at + 4, value);
    }

    private static void bothEndian16(ByteBuffer b, int at, int value) {
        b.order(ByteOrder.LITTLE_ENDIAN).putShort(at, (short) value);
        b.order(ByteOrder.BIG_ENDIAN).putShort(at + 2, (short) value);
    }
}
