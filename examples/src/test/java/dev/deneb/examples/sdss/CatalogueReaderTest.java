package dev.deneb.examples.sdss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deneb.data.Csv;
import dev.deneb.data.CsvTable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Reading real-world catalogue tables: renames, derived colours, missing values, bad rows and unknown classes. */
class CatalogueReaderTest {
    static CsvTable table(String text) {
        return Csv.parse(text, "test.csv");
    }

    static CatalogueReader.Rows read(String text, CatalogueReader.Options o, SdssData.Task task) {
        return CatalogueReader.read(table(text), "test.csv", o, task, 0);
    }

    @Test
    void dereddenedColumnsWorkThroughRenamesAndColoursAreDerived() {
        String csv = "objid,dered_u,dered_g,dered_r,dered_i,dered_z,class\n"
                + "7,19.0,18.0,17.5,17.25,17.0,star\n"
                + "8,18.5,18.25,18.0,17.75,17.5,Qso\n";
        CatalogueReader.Options o = CatalogueReader.Options.defaults().renames(Map.of("dered_u", "u", "dered_g", "g",
                "dered_r", "r", "dered_i", "i", "dered_z", "z"));
        CatalogueReader.Rows r = read(csv, o, SdssData.Task.STAR_QSO);
        assertArrayEquals(new long[] {0, 1}, r.labels(), "class names match ignoring case");
        float[] x = r.inputs().toFloatArray();
        assertArrayEquals(new float[] {19f, 18f, 17.5f, 17.25f, 17f, 1f, 0.5f, 0.25f, 0.25f},
                java.util.Arrays.copyOf(x, 9), 1e-6f);
        // Without renames, a colour of the prefixed names is derived as well.
        CatalogueReader.Rows d = read(csv, CatalogueReader.Options.defaults().features(List.of("dered_u-dered_g",
                "dered_r")), null);
        assertArrayEquals(new float[] {1f, 17.5f, 0.25f, 18f}, d.inputs().toFloatArray(), 1e-6f);
        assertEquals(null, d.labels());
    }

    @Test
    void aTableOfColoursOnlyUsesItsColumnsAsTheyAre() {
        String csv = "u-g,g-r,r-i,i-z,CLASS\n1.2,0.4,0.1,0.05,STAR\n0.2,0.1,0.0,0.1,QSO\n";
        CatalogueReader.Rows r = read(csv, CatalogueReader.Options.defaults().features(List.of("u-g", "g-r", "r-i",
                "i-z")), SdssData.Task.STAR_QSO);
        assertEquals(2, r.size());
        assertArrayEquals(new float[] {1.2f, 0.4f, 0.1f, 0.05f}, java.util.Arrays.copyOf(r.inputs().toFloatArray(), 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(csv,
                CatalogueReader.Options.defaults(), SdssData.Task.STAR_QSO));
        assertTrue(e.getMessage().contains("--features: 'u'") && e.getMessage().contains("u-g, g-r"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> read(csv, CatalogueReader.Options.defaults()
                .renames(Map.of("x", "u")), null));
        assertTrue(e.getMessage().contains("--rename x=u") && e.getMessage().contains("no column 'x'"),
                e.getMessage());
    }

    @Test
    void badRowsAreSkippedAndCountedPerReason() {
        String csv = "u,g,r,i,z,class\n"
                + "19,18,17,16,15,STAR\n"
                + "-9999,18,17,16,15,STAR\n"     // SDSS missing code
                + "19,18,17,16,9999,QSO\n"      // the other default code
                + "19,,17,16,15,STAR\n"          // empty cell
                + "19,18,NaN,16,15,QSO\n"        // NaN
                + "19,18,17,abc,15,QSO\n"        // text
                + "19,18,-9999,16,15,GALAXY\n"   // another class: left out before its values are looked at
                + "18,17,16,15,14,quasar\n"      // an unknown class
                + "18,17,16,15,14,qso\n";
        CatalogueReader.Rows r = read(csv, CatalogueReader.Options.defaults(), SdssData.Task.STAR_QSO);
        assertEquals(2, r.size());
        assertArrayEquals(new int[] {0, 8}, r.tableRows());
        assertArrayEquals(new long[] {0, 1}, r.labels());
        assertEquals(5, r.bad().count());
        assertEquals(2, r.bad().count(BadRows.Reason.MISSING_CODE));
        assertEquals(1, r.bad().count(BadRows.Reason.EMPTY));
        assertEquals(1, r.bad().count(BadRows.Reason.NON_FINITE));
        assertEquals(1, r.bad().count(BadRows.Reason.NOT_A_NUMBER));
        assertEquals(Map.of("GALAXY", 1L, "QUASAR", 1L), r.otherClasses());
        String summary = String.join("\n", r.bad().summary());
        assertTrue(summary.contains("2 rows with missing-value code (u 1, z 1); first: test.csv: data row 2, column "
                + "'u'"), summary);
        // Other codes replace the defaults: -9999 is then a value, and u = 19 is missing (rows 1, 3, 4, 5, 6).
        CatalogueReader.Rows other = read(csv, CatalogueReader.Options.defaults().missing(Set.of(19.0)),
                SdssData.Task.STAR_QSO);
        assertEquals(5, other.bad().count(BadRows.Reason.MISSING_CODE));
        assertArrayEquals(new int[] {1, 8}, other.tableRows());
    }

    @Test
    void failStopsAtTheFirstBadRowWithFileRowColumnAndValue() {
        String csv = "u,g,r,i,z,class\n19,18,17,16,15,STAR\n19,18,17,16,-9999,QSO\n";
        CatalogueReader.BadDataException e = assertThrows(CatalogueReader.BadDataException.class, () -> read(csv,
                CatalogueReader.Options.defaults().badRows(CatalogueReader.Policy.FAIL), SdssData.Task.STAR_QSO));
        assertEquals("test.csv: data row 2, column 'z': missing-value code '-9999'; the value marks a missing "
                + "measurement (see --missing) (--bad-rows skip leaves such rows out)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CatalogueReader.Policy.parse("drop"));
    }
}
