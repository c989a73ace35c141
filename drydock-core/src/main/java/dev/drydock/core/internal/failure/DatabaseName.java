package dev.drydock.core.internal.failure;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * How a message names the database: its JDBC URL with every password removed. Drydock is handed a
 * {@link DataSource}, which has no standard way to tell its URL, so this asks the getters the common
 * pools and drivers have ({@code getJdbcUrl}: HikariCP; {@code getUrl}/{@code getURL}: pgjdbc and
 * most others) and falls back to a plain description. It never connects: it is needed most when
 * connecting fails.
 */
public final class DatabaseName {
    static final String UNKNOWN = "the application's DataSource";

    private DatabaseName() {}

    public static String of(DataSource dataSource) {
        for (String getter : new String[] {"getJdbcUrl", "getUrl", "getURL"}) {
            try {
                Method m = dataSource.getClass().getMethod(getter);
                if (m.getReturnType() == String.class && m.invoke(dataSource) instanceof String url && !url.isBlank()) {
                    return withoutPassword(url);
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // not this getter; try the next one
            }
        }
        return UNKNOWN;
    }

    /**
     * {@code url} without user-info ({@code //user:secret@host}) and without any parameter whose name
     * contains "password" ({@code password}, {@code sslpassword}).
     */
    public static String withoutPassword(String url) {
        String noUserInfo = url.replaceFirst("//[^/?#@]*@", "//");
        int query = noUserInfo.indexOf('?');
        if (query < 0) {
            return noUserInfo;
        }
        String kept = Arrays.stream(noUserInfo.substring(query + 1).split("&"))
                .filter(p -> !p.isEmpty() && !p.split("=", 2)[0].toLowerCase(Locale.ROOT).contains("password"))
                .collect(Collectors.joining("&"));
        return noUserInfo.substring(0, query) + (kept.isEmpty() ? "" : "?" + kept);
    }
}
