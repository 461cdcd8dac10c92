"""The county's own matter-suggestion models: dispatcher labels, versioned models, read models."""
