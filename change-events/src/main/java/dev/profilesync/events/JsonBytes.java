package dev.profilesync.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * JSON text written straight to UTF-8 bytes, for the records this project writes by the million: the change events of a
 * directory load and the applier's snapshots. Byte for byte what Jackson's streaming generator writes for the same
 * calls, escapes included: the two-character ones for quote, backslash, backspace, form feed, newline, carriage
 * return and tab, the six-character hexadecimal one (upper case) for other control characters, everything else as
 * UTF-8. The one difference: a lone surrogate, which Jackson refuses, is written as its six-character escape.
 * <p>
 * Not thread-safe; {@link #local()} hands each thread one to reuse, so a thread writes one text at a time: from
 * {@code local()} to {@link #toBytes()}, nothing in between may call {@code local()} (a text abandoned half-written,
 * after an exception, is discarded by the next {@code local()}).
 */
public final class JsonBytes {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = ascii("null");
    private static final byte[] TRUE = ascii("true");
    private static final byte[] FALSE = ascii("false");
    private static final int INITIAL = 4096;
    /** A buffer grown above this (a very long text) is not kept for the thread's next use. */
    private static final int KEPT_LIMIT = 64 * 1024;
    private static final ThreadLocal<JsonBytes> LOCAL = ThreadLocal.withInitial(JsonBytes::new);

    private byte[] buffer = new byte[INITIAL];
    private int length;

    /** This thread's writer, empty. */
    public static JsonBytes local() {
        JsonBytes json = LOCAL.get();
        json.clear();
        return json;
    }

    /** The bytes of an ASCII text, for names encoded once: {@code ascii(",\"name\":")}. */
    public static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** The text written so far; the writer is empty afterwards. */
    public byte[] toBytes() {
        byte[] bytes = Arrays.copyOf(buffer, length);
        clear();
        return bytes;
    }

    private void clear() {
        length = 0;
        if (buffer.length > KEPT_LIMIT) {
            buffer = new byte[INITIAL];
        }
    }

    private void room(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }

    /** One ASCII character of structure: a bracket, a comma, a colon. */
    public JsonBytes put(char ascii) {
        room(1);
        buffer[length++] = (byte) ascii;
        return this;
    }

    /** Bytes as they are: names, punctuation, encoded once. */
    public JsonBytes raw(byte[] bytes) {
        room(bytes.length);
        System.arraycopy(bytes, 0, buffer, length, bytes.length);
        length += bytes.length;
        return this;
    }

    public JsonBytes bool(boolean value) {
        return raw(value ? TRUE : FALSE);
    }

    /** The instant as a string, as {@link Instant#toString()} writes it; {@code null} for null. */
    public JsonBytes instant(Instant instant) {
        if (instant == null) {
            return raw(NULL);
        }
        room(Rfc3339.MAX_LENGTH + 2);
        int end = Rfc3339.write(instant, buffer, length + 1);
        if (end < 0) {
            return string(instant.toString());
        }
        buffer[length] = '"';
        buffer[end] = '"';
        length = end + 1;
        return this;
    }

    /** A field value of the contract: a string, a boolean, a list of strings, or null. */
    public JsonBytes value(Object value) {
        if (value == null) {
            return raw(NULL);
        }
        if (value instanceof Boolean flag) {
            return bool(flag);
        }
        if (value instanceof List<?> list) {
            put('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    put(',');
                }
                string(String.valueOf(list.get(i)));
            }
            return put(']');
        }
        return string(value.toString());
    }

    /** A string, escaped; {@code null} for null. At most six bytes a character, so room is made once. */
    public JsonBytes string(String text) {
        if (text == null) {
            return raw(NULL);
        }
        int count = text.length();
        room(count * 6 + 2);
        byte[] out = buffer;
        int at = length;
        out[at++] = '"';
        for (int i = 0; i < count; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                out[at++] = (byte) c;
            } else if (c < 0x80) {
                at = escape(out, at, c);
            } else if (c < 0x800) {
                out[at++] = (byte) (0xC0 | c >> 6);
                out[at++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < count
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                int point = Character.toCodePoint(c, text.charAt(++i));
                out[at++] = (byte) (0xF0 | point >> 18);
                out[at++] = (byte) (0x80 | point >> 12 & 0x3F);
                out[at++] = (byte) (0x80 | point >> 6 & 0x3F);
                out[at++] = (byte) (0x80 | point & 0x3F);
            } else if (Character.isSurrogate(c)) {
                at = hexEscape(out, at, c);
            } else {
                out[at++] = (byte) (0xE0 | c >> 12);
                out[at++] = (byte) (0x80 | c >> 6 & 0x3F);
                out[at++] = (byte) (0x80 | c & 0x3F);
            }
        }
        out[at++] = '"';
        length = at;
        return this;
    }

    private static int escape(byte[] out, int at, char c) {
        char shortForm = switch (c) {
            case '"' -> '"';
            case '\\' -> '\\';
            case '\b' -> 'b';
            case '\f' -> 'f';
            case '\n' -> 'n';
            case '\r' -> 'r';
            case '\t' -> 't';
            default -> 0;
        };
        if (shortForm == 0) {
            return hexEscape(out, at, c);
        }
        out[at] = '\\';
        out[at + 1] = (byte) shortForm;
        return at + 2;
    }

    private static int hexEscape(byte[] out, int at, char c) {
        out[at] = '\\';
        out[at + 1] = 'u';
        out[at + 2] = HEX[c >> 12 & 0xF];
        out[at + 3] = HEX[c >> 8 & 0xF];
        out[at + 4] = HEX[c >> 4 & 0xF];
        out[at + 5] = HEX[c & 0xF];
        return at + 6;
    }
}
