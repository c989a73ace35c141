package dev.drydock.core.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.core.Drydock;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.lang.reflect.RecordComponent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The guard against row mappers reading the wrong column: for every statement a mapper reads, the
 * database's own description of the result (prepared, not run) has as many columns as the mapper
 * expects, and the column at each position a mapper reads carries the name it means. A column added
 * to one list but not to its record, or a statement whose select list drifted from its mapper,
 * fails here instead of reading a neighbour's value.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class RowMapperColumnsTest {
    private TestDatabase db;

    @BeforeEach
    void migrate(TestDatabase db) {
        this.db = db;
        Drydock.builder(db.dataSource()).build().close();
    }

    @Test
    void eachColumnListNamesItsRecordsComponentsInOrder() {
        assertThat(LeaseStore.COLUMNS.labels()).containsExactlyElementsOf(columnNames(LeaseRow.class));
        assertThat(ResourceStore.COLUMNS.labels()).containsExactlyElementsOf(columnNames(ResourceRow.class));
        assertThat(BlueprintStore.COLUMNS.labels()).containsExactlyElementsOf(columnNames(BlueprintRow.class));
    }

    @Test
    void eachTablesListReadsAsManyColumnsAsItNames() throws SQLException {
        assertThat(labels("SELECT " + LeaseStore.COLUMNS.list() + " FROM dd_lease")).isEqualTo(LeaseStore.COLUMNS.labels());
        assertThat(labels("SELECT " + ResourceStore.COLUMNS.list() + " FROM dd_resource")).isEqualTo(ResourceStore.COLUMNS.labels());
        assertThat(labels("SELECT " + BlueprintStore.COLUMNS.list() + " FROM dd_blueprint")).isEqualTo(BlueprintStore.COLUMNS.labels());
    }

    @Test
    void theBatchLookupHasTheLeaseThenTheResourceThenTheBlueprintWhereItsMapperReadsThem() throws SQLException {
        List<String> labels = labels(LeaseStore.LOOKUP.positional());
        List<String> expected = new ArrayList<>(List.of("part", "ord"));
        expected.addAll(LeaseStore.COLUMNS.labels());
        expected.addAll(ResourceStore.COLUMNS.labels());
        expected.addAll(BlueprintStore.COLUMNS.labels());
        expected.add("database_now"); // read by name: the clock deadlines are judged on
        assertThat(labels).isEqualTo(expected);
        assertThat(at(labels, LeaseStore.LOOKUP_FIRST, LeaseStore.COLUMNS)).isEqualTo(LeaseStore.COLUMNS.labels());
        assertThat(at(labels, LeaseStore.LOOKUP_OFFERED_RESOURCE, ResourceStore.COLUMNS)).isEqualTo(ResourceStore.COLUMNS.labels());
        assertThat(at(labels, LeaseStore.LOOKUP_OFFERED_BLUEPRINT, BlueprintStore.COLUMNS)).isEqualTo(BlueprintStore.COLUMNS.labels());
    }

    @Test
    void theOffersHaveTheBlueprintThenTheResource() throws SQLException {
        List<String> labels = labels(ResourceStore.offersQuery("", "b.resource_type = 'host'"));
        List<String> expected = new ArrayList<>(BlueprintStore.COLUMNS.labels());
        expected.addAll(ResourceStore.COLUMNS.labels());
        assertThat(labels).isEqualTo(expected);
    }

    @Test
    void takingASlotReturnsTheResourceWhereItsMapperReadsIt() throws SQLException {
        for (String sql : List.of(LeaseCapacity.TAKE_ALL.positional(), LeaseCapacity.TAKE_AND_ACTIVATE.positional())) {
            List<String> labels = labels(sql);
            assertThat(labels).hasSize(LeaseCapacity.TAKEN_RESOURCE - 1 + ResourceStore.COLUMNS.width() + 1);
            assertThat(at(labels, LeaseCapacity.TAKEN_RESOURCE, ResourceStore.COLUMNS)).isEqualTo(ResourceStore.COLUMNS.labels());
        }
    }

    @Test
    void aColumnAddedToAListMovesEveryPositionAfterIt() {
        Columns before = Columns.of("id, name, created_at");
        Columns after = Columns.of("id, owner, name::text, created_at");
        assertThat(after.at("name") - before.at("name")).isEqualTo(1);
        assertThat(after.at("created_at") - before.at("created_at")).isEqualTo(1);
        assertThat(after.width()).isEqualTo(before.width() + 1);
        assertThat(after.numbered("c")).isEqualTo("c1, c2, c3, c4");
        assertThat(after.qualified("x")).isEqualTo("x.id, x.owner, x.name::text, x.created_at");
    }

    /** The result column labels the database describes for {@code sql}, without running it. */
    private List<String> labels(String sql) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(sql)) {
            ResultSetMetaData meta = s.getMetaData();
            List<String> labels = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                labels.add(meta.getColumnLabel(i));
            }
            return labels;
        }
    }

    /** The labels of a list's columns in a result where the list starts at (1-based) {@code first}. */
    private static List<String> at(List<String> labels, int first, Columns columns) {
        return labels.subList(first - 1, first - 1 + columns.width());
    }

    private static List<String> columnNames(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName)
                .map(name -> name.replaceAll("([A-Z])", "_$1").toLowerCase()).toList();
    }
}
