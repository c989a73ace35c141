/**
 * Drydock over HTTP (DESIGN §13): a JSON API with bearer tokens ({@link dev.drydock.core.ApiTokens}),
 * long-poll reads, cursor paging and an OpenAPI document, served by {@link dev.drydock.server.DrydockServer}
 * over a {@link dev.drydock.core.Drydock}, in the daemon or embedded in an application.
 */
package dev.drydock.server;
