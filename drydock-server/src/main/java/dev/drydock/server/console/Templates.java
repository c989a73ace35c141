package dev.drydock.server.console;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;

/**
 * The console's templates (src/main/jte), compiled to classes of this package at build time: HTML
 * content, so every {@code ${…}} is escaped for where it stands. Each template takes one model.
 */
final class Templates {
    private static final TemplateEngine ENGINE = TemplateEngine.createPrecompiled(null, ContentType.Html,
            Templates.class.getClassLoader(), Templates.class.getPackageName());

    private Templates() {}

    static String render(String template, Object model) {
        StringOutput out = new StringOutput();
        ENGINE.render(template + ".jte", model, out);
        return out.toString();
    }

    static void page(Context ctx, String template, Object model) {
        ctx.contentType("text/html; charset=utf-8").header("Cache-Control", "no-store").result(render(template, model));
    }
}
