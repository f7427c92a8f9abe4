"""Official documents and their charts."""
