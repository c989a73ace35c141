/**
 * The web console at {@code /ui}: server-rendered pages (JTE templates, compiled at build time,
 * everything escaped by default) that work without JavaScript, with a small script for live
 * updates. Signed in with an API token kept in an HttpOnly, SameSite=Strict cookie; internal to
 * {@link dev.drydock.server.DrydockServer}, which serves it.
 */
package dev.drydock.server.console;
