package io.mpcsystem.e2e.controlplane;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Hands tests one real control plane for the whole run (started on first use, stopped when the
 * run ends, whatever happened), and prints every program's log tail when a test fails.
 */
public final class ControlPlaneExtension implements ParameterResolver, TestWatcher {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ControlPlaneExtension.class);

    static ControlPlane shared(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent("control-plane", k -> ControlPlane.start(Path.of("target", "controlplane")), ControlPlane.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ControlPlane.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return shared(context);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        ControlPlane cp = context.getRoot().getStore(NAMESPACE).get("control-plane", ControlPlane.class);
        if (cp != null) {
            System.err.println("control plane (started in " + cp.startup().toMillis() + " ms) after the failure of "
                    + context.getDisplayName() + ":\n" + cp.logTails());
        }
    }
}
