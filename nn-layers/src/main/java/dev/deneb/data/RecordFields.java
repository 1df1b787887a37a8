package dev.deneb.data;

import dev.deneb.tensor.Tensor;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a record of tensors into named fields and builds one back, for {@link Sample#of(Record)} and {@link Batch#as}. */
final class RecordFields {
    private RecordFields() {}

    static Map<String, Tensor> read(String op, Record record) {
        if (record == null) {
            throw new IllegalArgumentException(op + ": the record is null");
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (RecordComponent c : components(op, record.getClass())) {
            Method accessor = c.getAccessor();
            accessor.trySetAccessible(); // records local to a test or a method are not public
            try {
                out.put(c.getName(), (Tensor) accessor.invoke(record));
            } catch (IllegalAccessException e) {
                throw new IllegalArgumentException(op + ": cannot read component '" + c.getName() + "' of "
                        + record.getClass().getName() + " (" + e.getMessage() + ")", e);
            } catch (InvocationTargetException e) {
                throw rethrow(e);
            }
        }
        return out;
    }

    static <R extends Record> R build(String op, Class<R> type, Map<String, Tensor> fields) {
        if (type == null) {
            throw new IllegalArgumentException(op + ": the record type is null");
        }
        RecordComponent[] cs = components(op, type);
        Class<?>[] types = new Class<?>[cs.length];
        Object[] args = new Object[cs.length];
        for (int i = 0; i < cs.length; i++) {
            types[i] = Tensor.class;
            args[i] = fields.get(cs[i].getName());
            if (args[i] == null) {
                throw new IllegalArgumentException(op + ": " + type.getSimpleName() + " has component '"
                        + cs[i].getName() + "' but the batch has no such field; the fields are " + fields.keySet());
            }
        }
        try {
            Constructor<R> ctor = type.getDeclaredConstructor(types);
            ctor.trySetAccessible();
            return ctor.newInstance(args);
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException e) {
            throw new IllegalArgumentException(op + ": cannot build " + type.getName() + " (" + e + ")", e);
        } catch (InvocationTargetException e) {
            throw rethrow(e);
        }
    }

    private static RecordComponent[] components(String op, Class<?> type) {
        RecordComponent[] cs = type.getRecordComponents();
        for (RecordComponent c : cs) {
            if (c.getType() != Tensor.class) {
                throw new IllegalArgumentException(op + ": component '" + c.getName() + "' of "
                        + type.getSimpleName() + " is a " + c.getType().getSimpleName()
                        + "; every component must be a Tensor");
            }
        }
        return cs;
    }

    /** The record's own exception (e.g. from its compact constructor), unwrapped. */
    private static RuntimeException rethrow(InvocationTargetException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException r) {
            return r;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new IllegalStateException(cause);
    }
}
