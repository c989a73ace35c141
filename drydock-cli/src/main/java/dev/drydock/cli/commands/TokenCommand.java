package dev.drydock.cli.commands;

import dev.drydock.cli.Output;
import dev.drydock.core.ApiToken;
import dev.drydock.core.ApiTokens;
import dev.drydock.core.TokenScope;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "token", mixinStandardHelpOptions = true, description = "Create, list and revoke the HTTP API's bearer tokens.",
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
public final class TokenCommand extends Base {
    @Override
    public Integer call() {
        throw bad("say what to do: create, list or revoke");
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Make a token and print its secret, once: it is stored only as a hash.",
                    "Scopes: read (look at everything), lease (also acquire, use and release its own leases), admin (also act on any lease)."})
    static final class Create extends Base {
        @Option(names = "--name", required = true, description = "lower-case letters, digits and '-', e.g. ci-runner")
        String name;

        @Option(names = "--scope", required = true, description = "read, lease or admin")
        String scope;

        @Override
        public Integer call() {
            TokenScope parsed = TokenScope.parse(scope).orElseThrow(() -> bad("--scope must be read, lease or admin, was '" + scope + "'"));
            ApiTokens.Created created = drydock().apiTokens().create(name, parsed);
            out().println(created.secret());
            err().println("token " + name + " (scope " + parsed.label() + ") created; its secret is above and is shown only now."
                    + " Send it as 'Authorization: Bearer <secret>'.");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List tokens (never their secrets).")
    static final class ListTokens extends Base {
        @Option(names = "--json", description = "print JSON")
        boolean json;

        @Override
        public Integer call() {
            List<ApiToken> all = drydock().apiTokens().list();
            if (json) {
                out().println(Output.json(all.stream().map(ListTokens::document).toList()));
            } else {
                out().printf("%-24s %-6s %-28s %s%n", "NAME", "SCOPE", "CREATED", "REVOKED");
                all.forEach(t -> out().printf("%-24s %-6s %-28s %s%n", t.name(), t.scope().label(), t.createdAt(),
                        t.revokedAt().map(Object::toString).orElse("-")));
            }
            return 0;
        }

        private static Map<String, Object> document(ApiToken t) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", t.id());
            m.put("name", t.name());
            m.put("scope", t.scope().label());
            m.put("createdAt", t.createdAt().toString());
            m.put("revokedAt", t.revokedAt().map(Object::toString).orElse(null));
            return m;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token at once; its leases stay, usable by admin tokens.")
    static final class Revoke extends Base {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            if (!drydock().apiTokens().revoke(name)) {
                throw bad("no valid token named '" + name + "' (see drydock-control token list)");
            }
            out().println("revoked token " + name);
            return 0;
        }
    }
}
