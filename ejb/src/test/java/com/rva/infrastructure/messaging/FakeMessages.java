package com.rva.infrastructure.messaging;

import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.jms.BytesMessage;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;

/** JMS messages backed by a property map, enough for the reader (which uses only object properties and the body). */
final class FakeMessages {

    private FakeMessages() {
    }

    static BytesMessage bytes(Map<String, Object> properties, byte[] body) {
        return (BytesMessage) fake(BytesMessage.class, properties, body);
    }

    static TextMessage text(Map<String, Object> properties) {
        return (TextMessage) fake(TextMessage.class, properties, null);
    }

    private static Message fake(Class<? extends Message> type, Map<String, Object> properties, byte[] body) {
        Map<String, Object> props = new LinkedHashMap<>(properties);
        return (Message) Proxy.newProxyInstance(FakeMessages.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> switch (method.getName()) {
                    case "propertyExists" -> props.containsKey((String) args[0]);
                    case "getObjectProperty" -> props.get((String) args[0]);
                    case "getStringProperty" -> props.get((String) args[0]) == null ? null
                            : String.valueOf(props.get((String) args[0]));
                    case "getPropertyNames" -> Collections.enumeration(props.keySet());
                    case "getBodyLength" -> (long) body.length;
                    case "getBody" -> body == null ? null : body.clone();
                    case "toString" -> type.getSimpleName() + props;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
