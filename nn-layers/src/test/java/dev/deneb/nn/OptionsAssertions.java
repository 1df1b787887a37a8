package dev.deneb.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.function.Executable;

/** Checks shared by the tests of the layers' option records. */
public final class OptionsAssertions {
    private OptionsAssertions() {}

    /**
     * {@code setter} returns a new record whose {@code getter} gives {@code value}; the record it was called on is
     * unchanged, and every other component is carried over (exactly one component differs).
     */
    public static <R extends Record> void assertSetter(R original, UnaryOperator<R> setter, Function<R, ?> getter,
                                                       Object value) {
        Object before = getter.apply(original);
        assertNotEquals(before, value, "pick a value other than the current one to test a setter");
        R copy = copyOf(original);
        R changed = setter.apply(original);
        assertNotSame(original, changed, "a setter returns a new record");
        assertEquals(value, getter.apply(changed));
        assertEquals(copy, original, "the original record is unchanged");
        List<String> differing = new ArrayList<>();
        for (RecordComponent c : original.getClass().getRecordComponents()) {
            if (!Objects.equals(component(c, original), component(c, changed))) {
                differing.add(c.getName());
            }
        }
        assertEquals(1, differing.size(), "a setter changes one component, changed " + differing);
    }

    /** {@code call} throws an {@link IllegalArgumentException} whose message contains every fragment. */
    public static void assertRejected(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage() != null && e.getMessage().contains(f),
                    "expected '" + f + "' in: " + e.getMessage());
        }
    }

    private static Object component(RecordComponent c, Record r) {
        try {
            return c.getAccessor().invoke(r);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new AssertionError(e);
        }
    }

    /** A field-by-field copy through the canonical constructor. */
    @SuppressWarnings("unchecked")
    private static <R extends Record> R copyOf(R r) {
        RecordComponent[] cs = r.getClass().getRecordComponents();
        Class<?>[] types = new Class<?>[cs.length];
        Object[] values = new Object[cs.length];
        for (int i = 0; i < cs.length; i++) {
            types[i] = cs[i].getType();
            values[i] = component(cs[i], r);
        }
        try {
            return (R) r.getClass().getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
