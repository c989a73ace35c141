package dev.drydock.server;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A command's output on its way to the client as NDJSON, one line per chunk as it arrives:
 * {@code {"stream": "stdout"|"stderr", "data": TEXT}}, then one last line that says how it ended.
 * The response is committed by the first line, so a command that fails to start before writing
 * anything can still be answered with a JSON error. Output is UTF-8 text (a character split
 * between chunks is sent whole; bytes that are not UTF-8 become U+FFFD).
 *
 * <p>Bounded: past {@code cap} bytes of output, the chunk is cut at the cap, nothing more is sent,
 * and {@code stop} runs (it kills the command). A client that goes away stops it too. Thread-safe:
 * stdout and stderr are written from two threads.
 */
final class ExecOutput {
    private final HttpServletResponse response;
    private final long cap;
    private final Runnable stop;
    // A lock, not synchronized: the writers are virtual threads doing blocking I/O.
    private final ReentrantLock lock = new ReentrantLock();
    private OutputStream out;
    private long bytes;
    private boolean limited;
    private boolean gone;

    ExecOutput(HttpServletResponse response, long cap, Runnable stop) {
        this.response = response;
        this.cap = cap;
        this.stop = stop;
    }

    /** The stream a command's {@code name} output ("stdout", "stderr") is written to. */
    Sink sink(String name) {
        return new Sink(name);
    }

    /** Writes one line; the first commits the response. */
    void line(Map<String, Object> document) throws IOException {
        lock.lock();
        try {
            if (gone) {
                throw new IOException("the client has gone");
            }
            try {
                if (out == null) {
                    response.setStatus(200);
                    response.setContentType("application/x-ndjson");
                    response.setHeader("Cache-Control", "no-store");
                    out = response.getOutputStream();
                }
                out.write((Json.text(document) + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                gone = true;
                stop.run();
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether a line was written: errors can no longer be answered as such. */
    boolean committed() {
        return locked(() -> out != null);
    }

    /** Whether the output passed the cap, and the command was stopped for it. */
    boolean limited() {
        return locked(() -> limited);
    }

    private <T> T locked(java.util.function.Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }

    long cap() {
        return cap;
    }

    /** How many of {@code length} bytes may still be sent; marks the output limited when that is not all of them. */
    private int admit(int length) {
        lock.lock();
        try {
            if (limited) {
                return 0;
            }
            int allowed = (int) Math.min(length, cap - bytes);
            bytes += allowed;
            if (allowed < length) {
                limited = true;
            }
            return allowed;
        } finally {
            lock.unlock();
        }
    }

    /** One of the command's outputs, decoded as UTF-8 across chunk boundaries. */
    final class Sink extends OutputStream {
        private final String name;
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        /** The start of a character whose other bytes are in the next chunk. */
        private byte[] pending = new byte[0];

        private Sink(String name) {
            this.name = name;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] buffer, int offset, int length) throws IOException {
            int allowed = admit(length);
            if (allowed > 0) {
                send(decode(buffer, offset, allowed, false));
            }
            if (allowed < length) {
                finish();
                stop.run();
                throw new IOException("the output passed " + cap + " bytes"); // the pump drains and discards the rest
            }
        }

        /** Sends what is left of a character cut short at the end of the output. */
        void finish() throws IOException {
            send(decode(new byte[0], 0, 0, true));
        }

        private String decode(byte[] buffer, int offset, int length, boolean end) {
            ByteBuffer in = ByteBuffer.allocate(pending.length + length).put(pending).put(buffer, offset, length).flip();
            CharBuffer chars = CharBuffer.allocate(in.remaining() + 1);
            decoder.decode(in, chars, end);
            if (end) {
                decoder.flush(chars);
                decoder.reset();
            }
            pending = Arrays.copyOfRange(in.array(), in.position(), in.limit());
            return chars.flip().toString();
        }

        private void send(String text) throws IOException {
            if (!text.isEmpty()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("stream", name);
                m.put("data", text);
                line(m);
            }
        }
    }
}
