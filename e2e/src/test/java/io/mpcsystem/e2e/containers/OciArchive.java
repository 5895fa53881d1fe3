package io.mpcsystem.e2e.containers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Jib writes OCI image-layout tarballs; Debian's Docker engine (20.10) loads only docker-save
 * ones. The two differ by one file: this copies the tarball and adds the docker-save
 * {@code manifest.json} that points at the OCI blobs (config and gzipped layers, which the engine
 * reads as they are). A plain tar (ustar) reader and writer: the JDK has none.
 */
final class OciArchive {
    private static final int BLOCK = 512;
    private static final ObjectMapper JSON = new ObjectMapper();

    private OciArchive() {
    }

    /** The tarball itself when it already loads (docker-save), else a copy at {@code out} with the docker-save manifest added. */
    static Path dockerLoadable(Path oci, Path out) throws IOException {
        Map<String, byte[]> small = new HashMap<>();
        long end;
        try (InputStream in = Files.newInputStream(oci)) {
            end = scan(in, small);
        }
        if (!small.containsKey("index.json") || small.containsKey("manifest.json")) return oci;
        JsonNode index = JSON.readTree(required(small, "index.json"));
        JsonNode entry = index.get("manifests").get(0);
        String reference = entry.path("annotations").path("org.opencontainers.image.ref.name").asText(null);
        if (reference == null) throw new IOException(oci + ": the OCI index names no image reference");
        JsonNode manifest = JSON.readTree(required(small, blob(entry.get("digest").asText())));
        ArrayNode docker = JSON.createArrayNode();
        ObjectNode image = docker.addObject();
        image.put("Config", blob(manifest.get("config").get("digest").asText()));
        image.putArray("RepoTags").add(reference);
        ArrayNode layers = image.putArray("Layers");
        for (JsonNode l : manifest.get("layers")) layers.add(blob(l.get("digest").asText()));
        byte[] manifestJson = JSON.writeValueAsBytes(docker);

        try (InputStream in = Files.newInputStream(oci); OutputStream o = Files.newOutputStream(out)) {
            // every entry as it is, then manifest.json, then the end-of-archive blocks
            long left = end;
            byte[] buf = new byte[1 << 16];
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) throw new IOException(oci + ": truncated");
                o.write(buf, 0, n);
                left -= n;
            }
            o.write(header("manifest.json", manifestJson.length));
            o.write(manifestJson);
            o.write(new byte[padding(manifestJson.length)]);
            o.write(new byte[2 * BLOCK]);
        }
        return out;
    }

    private static String blob(String digest) {
        return "blobs/" + digest.replace(':', '/');
    }

    private static byte[] required(Map<String, byte[]> files, String name) throws IOException {
        byte[] b = files.get(name);
        if (b == null) throw new IOException("the OCI tarball has no " + name);
        return b;
    }

    /** Reads the entries, keeping files of up to 64 KiB (index, manifests, configs); gives the offset where the archive's end blocks start. */
    private static long scan(InputStream in, Map<String, byte[]> small) throws IOException {
        long offset = 0;
        byte[] header = new byte[BLOCK];
        while (true) {
            if (in.readNBytes(header, 0, BLOCK) < BLOCK) throw new IOException("truncated tar header");
            if (allZero(header)) return offset;
            String name = string(header, 0, 100);
            String prefix = string(header, 345, 155);
            if (!prefix.isEmpty()) name = prefix + "/" + name;
            long size = Long.parseLong(string(header, 124, 12).trim(), 8);
            long padded = size + padding(size);
            if (header[156] == '0' || header[156] == 0) {
                if (size <= 65536) {
                    small.put(name, in.readNBytes((int) size));
                    in.skipNBytes(padded - size);
                } else {
                    in.skipNBytes(padded);
                }
            } else {
                in.skipNBytes(padded);
            }
            offset += BLOCK + padded;
        }
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }

    private static String string(byte[] b, int from, int length) {
        int end = from;
        while (end < from + length && b[end] != 0) end++;
        return new String(b, from, end - from, StandardCharsets.US_ASCII);
    }

    private static int padding(long size) {
        return (int) ((BLOCK - size % BLOCK) % BLOCK);
    }

    /** A ustar header of a regular file, mode 0644, owned by root. */
    private static byte[] header(String name, long size) {
        byte[] h = new byte[BLOCK];
        put(h, 0, name);
        put(h, 100, "0000644");
        put(h, 108, "0000000");
        put(h, 116, "0000000");
        put(h, 124, String.format("%011o", size));
        put(h, 136, String.format("%011o", 0));
        h[156] = '0';
        put(h, 257, "ustar");
        put(h, 263, "00");
        for (int i = 148; i < 156; i++) h[i] = ' ';
        long sum = 0;
        for (byte x : h) sum += x & 0xff;
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
        h[155] = ' ';
        return h;
    }

    private static void put(byte[] h, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, at, b.length);
    }
}
