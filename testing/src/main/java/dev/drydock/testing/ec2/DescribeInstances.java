package dev.drydock.testing.ec2;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Lists instances by id or by filters, a page at a time when MaxResults is given. A page token holds
 * the launch sequence to go on from, so instances that leave the listing between pages shift nothing.
 */
final class DescribeInstances implements Ec2Action {
    private static final int MIN_RESULTS = 5;
    private static final int MAX_RESULTS = 1000;

    private final InstanceTable table;

    DescribeInstances(InstanceTable table) {
        this.table = table;
    }

    @Override
    public String name() {
        return "DescribeInstances";
    }

    @Override
    public void respond(QueryParams params, XmlWriter xml) {
        List<String> ids = List.copyOf(new LinkedHashSet<>(params.list("InstanceId")));
        List<InstanceFilter> filters = InstanceFilter.parse(params);
        Optional<Integer> maxResults = params.optional("MaxResults").map(v -> params.requiredInt("MaxResults"));
        if (maxResults.isPresent() && !ids.isEmpty()) {
            throw Ec2Error.client("InvalidParameterCombination", "The parameter instancesSet cannot be used with the parameter maxResults");
        }
        maxResults.filter(n -> n < MIN_RESULTS || n > MAX_RESULTS).ifPresent(n -> {
            throw Ec2Error.client("InvalidParameterValue", "Value ( " + n + " ) for parameter maxResults is invalid."
                    + " Expecting a value between " + MIN_RESULTS + " and " + MAX_RESULTS + ".");
        });
        long after = params.optional("NextToken").filter(t -> !t.isEmpty()).map(DescribeInstances::decodeToken).orElse(0L);

        List<FakeInstance> matching = (ids.isEmpty() ? table.listed() : byId(ids)).stream()
                .filter(instance -> instance.sequence() > after)
                .filter(instance -> filters.stream().allMatch(filter -> filter.matches(instance)))
                .toList();
        int pageSize = maxResults.orElse(Integer.MAX_VALUE);
        List<FakeInstance> page = matching.subList(0, Math.min(pageSize, matching.size()));

        Map<Reservation.Key, List<FakeInstance>> byReservation = new LinkedHashMap<>();
        page.forEach(instance -> byReservation.computeIfAbsent(instance.reservation(), k -> new ArrayList<>()).add(instance));
        xml.start("reservationSet");
        byReservation.forEach((key, instances) -> {
            xml.start("item");
            InstanceXml.reservation(xml, key.id(), instances);
            xml.end();
        });
        xml.end();
        if (matching.size() > page.size()) {
            xml.leaf("nextToken", encodeToken(page.getLast().sequence()));
        }
    }

    // EC2 names every id it does not know in one error. An instance not yet seen by this lookup (eventual
    // consistency) counts as unknown, and each such lookup brings it one closer to being seen.
    private List<FakeInstance> byId(List<String> ids) {
        ids.forEach(Ids::requireInstanceId);
        List<FakeInstance> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String id : ids) {
            table.listed(id).filter(instance -> !instance.takeUnseen()).ifPresentOrElse(found::add, () -> missing.add(id));
        }
        if (!missing.isEmpty()) {
            throw Ec2Error.instanceNotFound(String.join(", ", missing));
        }
        found.sort((a, b) -> Long.compare(a.sequence(), b.sequence()));
        return found;
    }

    private static String encodeToken(long sequence) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("after:" + sequence).getBytes(StandardCharsets.UTF_8));
    }

    private static long decodeToken(String token) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (!text.startsWith("after:")) {
                throw new IllegalArgumentException(text);
            }
            return Long.parseLong(text.substring("after:".length()));
        } catch (IllegalArgumentException e) {
            throw Ec2Error.client("InvalidParameterValue", "Invalid value '" + token + "' for nextToken");
        }
    }
}
