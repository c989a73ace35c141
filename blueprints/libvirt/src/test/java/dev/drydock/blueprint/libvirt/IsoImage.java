package dev.drydock.blueprint.libvirt;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** An independent reader of the root directory of an ISO 9660 image's primary and Joliet trees, for tests. */
record IsoImage(String volumeId, String jolietVolumeId, Map<String, byte[]> primary, Map<String, byte[]> joliet) {
    static IsoImage read(byte[] image) {
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        String volumeId = null;
        String jolietId = null;
        Map<String, byte[]> primary = Map.of();
        Map<String, byte[]> joliet = Map.of();
        for (int sector = 16; ; sector++) {
            int at = sector * Iso9660.SECTOR;
            int type = image[at] & 0xff;
            if (!new String(image, at + 1, 5, StandardCharsets.US_ASCII).equals("CD001")) {
                throw new AssertionError("no descriptor at sector " + sector);
            }
            if (type == 255) {
                break;
            }
            int root = b.getInt(at + 156 + 2);
            int length = b.getInt(at + 156 + 10);
            if (type == 1) {
                volumeId = new String(image, at + 40, 32, StandardCharsets.US_ASCII).strip();
                primary = directory(image, root, length, StandardCharsets.US_ASCII);
            } else if (type == 2 && image[at + 88] == '%' && image[at + 89] == '/' && image[at + 90] == 'E') {
                jolietId = new String(image, at + 40, 32, StandardCharsets.UTF_16BE).strip();
                joliet = directory(image, root, length, StandardCharsets.UTF_16BE);
            }
        }
        return new IsoImage(volumeId, jolietId, primary, joliet);
    }

    byte[] file(String primaryName) {
        return primary.get(primaryName);
    }

    private static Map<String, byte[]> directory(byte[] image, int sector, int length, java.nio.charset.Charset names) {
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        Map<String, byte[]> files = new LinkedHashMap<>();
        int at = sector * Iso9660.SECTOR;
        int end = at + length;
        while (at < end && image[at] != 0) {
            int size = image[at] & 0xff;
            int nameLength = image[at + 32] & 0xff;
            if ((image[at + 25] & 2) == 0) {
                int extent = b.getInt(at + 2) * Iso9660.SECTOR;
                int dataLength = b.getInt(at + 10);
                files.put(new String(image, at + 33, nameLength, names), Arrays.copyOfRange(image, extent, extent + dataLength));
            }
            at += size;
        }
        return files;
    }
}
