// Placeholder entry point; the issue that owns this executable replaces it.
print("not built yet")
