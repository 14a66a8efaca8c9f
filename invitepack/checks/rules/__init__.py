"""The built-in rules: ordinary plugins, one module per family, registered like any other."""
