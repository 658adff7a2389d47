"""The gemeente's use cases: houses, areas, policy settings, people and roles."""
